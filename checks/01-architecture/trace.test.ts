import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { EmptyResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, connectServer, request, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface Entry {
  direction: string;
  message: { jsonrpc?: string; id?: string | number; method?: string; params?: unknown; result?: Record<string, unknown>; error?: unknown };
}

/**
 * A session through the student's TracingTransport: handshake, ping, tools/list, and a method
 * nobody handles. The protocol layer answers that one *synchronously*, from inside the
 * transport's onmessage callback, so only a trace that records before forwarding shows the
 * request before its error response.
 */
async function tracedSession(step: StepContext) {
  const TracingTransport = await step.fn<new (inner: Transport, trace: Entry[]) => Transport>('TracingTransport');
  const trace: Entry[] = [];
  const { client, server } = await connectServer(step, undefined, {
    wrapServerTransport: (inner) => new TracingTransport(inner, trace),
  });
  await request(step, 'ping', (o) => client.ping(o));
  await request(step, 'tools/list', (o) => client.listTools({}, o));
  // Its error answer is what matters here, so the rejection is expected.
  await client.request({ method: 'taskboard/explode', params: {} }, EmptyResultSchema, { timeout: ANSWER_TIMEOUT_MS }).catch(() => undefined);
  const shown = trace.map((e) => `${e?.direction} ${e?.message?.method ?? (e?.message?.error ? 'error' : 'result')}#${e?.message?.id ?? '-'}`).join(', ');
  return { trace, shown: shown || 'nothing', client, server };
}

const isResponse = (e: Entry) => e.message.method === undefined && (e.message.result !== undefined || e.message.error !== undefined);

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('R4.1: every message is recorded once, whole, with its direction', async () => {
    const { trace, shown } = await tracedSession(step);
    step.expect(trace.length, `the trace records every message: initialize, its result, initialized, and two requests with their results; trace: ${shown}`).toBeGreaterThanOrEqual(7);
    for (const entry of trace) {
      step.expect(['received', 'sent'], `the direction of ${JSON.stringify(entry)} is 'received' or 'sent'`).toContain(entry?.direction);
      step.expect(entry?.message?.jsonrpc, `each entry holds the whole JSON-RPC message: ${JSON.stringify(entry)}`).toBe('2.0');
    }
    for (const method of ['initialize', 'notifications/initialized', 'ping', 'tools/list', 'taskboard/explode']) {
      const received = trace.filter((e) => e.direction === 'received' && e.message.method === method);
      step.expect(received.length, `the client's ${method} is recorded once, as 'received'; trace: ${shown}`).toBe(1);
      step.expect(trace.filter((e) => e.direction === 'sent' && e.message.method === method), `the server never sends ${method}: it was received; trace: ${shown}`).toEqual([]);
      const id = received[0]!.message.id;
      if (id === undefined) continue;
      const answers = trace.filter((e) => e.direction === 'sent' && isResponse(e) && e.message.id === id);
      step.expect(answers.length, `the answer to ${method} (id ${id}) is recorded once, as 'sent'; trace: ${shown}`).toBe(1);
    }
    const init = trace.find((e) => e.direction === 'received' && e.message.method === 'initialize')!;
    step.expect(init.message.params, 'the recorded initialize carries its params (the client\'s protocol version and clientInfo)').toMatchObject({ clientInfo: { name: 'course-check' } });
  });

  test('R4.3: closing passes through the wrapper, both ways', async () => {
    const { trace, shown, client, server } = await tracedSession(step);
    step.expect(trace.length, `TracingTransport must record the session (R4.1) before its close is checked; trace: ${shown}`).toBeGreaterThanOrEqual(7);
    // The hooks of step 3 stay in place; the check only learns that onclose ran.
    let serverClosed = false;
    const hook = server.server.onclose;
    server.server.onclose = () => {
      serverClosed = true;
      hook?.();
    };
    let clientClosed = false;
    client.onclose = () => {
      clientClosed = true;
    };
    // The in-memory transport closes both ends before close() resolves.
    await server.close();
    step.expect(clientClosed, "server.close() must reach the client: TracingTransport.close() closes the inner transport").toBe(true);
    step.expect(serverClosed, "the inner transport's close must reach the protocol layer: start() passes inner.onclose on to this.onclose").toBe(true);
  });

  test('R4.2: the trace is in wire order: initialize, its result, initialized, then each request before its response', async () => {
    const { trace, shown } = await tracedSession(step);
    const first = step.require(trace[0], `the trace is empty: record each message in start() (received) and send() (sent)`);
    step.expect([first.direction, first.message?.method], `the first message is the client's initialize request; trace: ${shown}`).toEqual(['received', 'initialize']);

    const indexOf = (test: (e: Entry) => boolean) => trace.findIndex((e) => e?.message !== undefined && test(e));
    const initResult = indexOf((e) => e.direction === 'sent' && e.message.id === first.message.id && e.message.result !== undefined);
    step.expect(initResult, `the server answers initialize with a result of the same id; trace: ${shown}`).toBeGreaterThan(0);
    step.expect(trace[initResult]?.message.result?.protocolVersion, 'the initialize result carries the protocol version').toBe('2025-11-25');
    const initialized = indexOf((e) => e.direction === 'received' && e.message.method === 'notifications/initialized');
    step.expect(initialized, `notifications/initialized arrives after the initialize result (record each message before forwarding it); trace: ${shown}`).toBeGreaterThan(initResult);
    step.expect(trace[initialized]?.message.id, 'a notification has no id').toBeUndefined();

    let previous = initialized;
    for (const method of ['ping', 'tools/list', 'taskboard/explode']) {
      const requestAt = indexOf((e) => e.direction === 'received' && e.message.method === method);
      step.expect(requestAt, `the ${method} request comes after the handshake and the requests before it; trace: ${shown}`).toBeGreaterThan(previous);
      const id = trace[requestAt]!.message.id;
      const responseAt = indexOf((e) => e.direction === 'sent' && isResponse(e) && e.message.id === id);
      step.expect(responseAt, `the ${method} response (id ${id}) follows its request (record what arrives before you forward it); trace: ${shown}`).toBeGreaterThan(requestAt);
      previous = responseAt;
    }
  });
});
