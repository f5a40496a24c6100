import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { describe, test } from 'vitest';
import { connectServer, stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface Entry {
  direction: string;
  message: { id?: string | number; method?: string; result?: Record<string, unknown>; error?: unknown };
}

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('the trace shows initialize, initialized and each request answered in order, ids matching', async () => {
    const TracingTransport = await step.fn<new (inner: Transport, trace: Entry[]) => Transport>('TracingTransport');
    const trace: Entry[] = [];
    const { client } = await connectServer(step, undefined, {
      wrapServerTransport: (inner) => new TracingTransport(inner, trace),
    });
    await client.ping();
    await client.listTools();

    const shown = trace.map((e) => `${e.direction} ${e.message.method ?? (e.message.error ? 'error' : 'result')}#${e.message.id ?? '-'}`).join(', ');
    step.expect(trace.length, 'the trace records every message: at least initialize, its result, initialized, and two requests with their results').toBeGreaterThanOrEqual(7);
    for (const entry of trace) {
      step.expect(['received', 'sent'], `direction of ${JSON.stringify(entry)}`).toContain(entry.direction);
    }
    const first = trace[0]!;
    step.expect([first.direction, first.message.method], `the first message is the client's initialize request; trace: ${shown}`).toEqual(['received', 'initialize']);

    const indexOf = (test: (e: Entry) => boolean) => trace.findIndex(test);
    const initResult = indexOf((e) => e.direction === 'sent' && e.message.id === first.message.id && e.message.result !== undefined);
    step.expect(initResult, `the server answers initialize with a result of the same id; trace: ${shown}`).toBeGreaterThan(0);
    step.expect(trace[initResult]?.message.result?.protocolVersion, 'the initialize result carries the protocol version').toBe('2025-11-25');
    const initialized = indexOf((e) => e.direction === 'received' && e.message.method === 'notifications/initialized');
    step.expect(initialized, `notifications/initialized arrives after the initialize result; trace: ${shown}`).toBeGreaterThan(initResult);
    step.expect(trace[initialized]?.message.id, 'a notification has no id').toBeUndefined();

    for (const method of ['ping', 'tools/list']) {
      const request = indexOf((e) => e.direction === 'received' && e.message.method === method);
      step.expect(request, `the ${method} request is in the trace; trace: ${shown}`).toBeGreaterThan(initialized);
      const id = trace[request]!.message.id;
      const response = indexOf((e) => e.direction === 'sent' && e.message.id === id && e.message.method === undefined);
      step.expect(response, `the ${method} response (id ${id}) follows its request; trace: ${shown}`).toBeGreaterThan(request);
    }
  });
});
