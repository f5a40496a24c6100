import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, test } from 'vitest';
import { linkInMemory, Recorder, request, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface LifecycleEvent {
  type: string;
  client?: { name?: string; version?: string };
  capabilities?: Record<string, unknown>;
  message?: string;
}

interface ConnectOptions {
  clientInfo: Implementation;
  capabilities: ClientCapabilities;
}

/** Two clients that introduce themselves differently: an event must carry the one that connected. */
const CLIENTS: ConnectOptions[] = [
  { clientInfo: { name: 'lifecycle-check', version: '7.3.1' }, capabilities: { sampling: {}, roots: { listChanged: true } } },
  { clientInfo: { name: 'second-host', version: '0.9.12' }, capabilities: { elicitation: { form: {} } } },
];

/** The student's server with a recorder on its lifecycle events, not yet connected. */
async function createRecording(step: StepContext) {
  const events = new Recorder<LifecycleEvent>((e) => e.type);
  const createServer = await step.fn<(options: Record<string, unknown>) => McpServer>('createServer', 'src/server.ts');
  const server = await step.run('createServer({ onEvent })', () => createServer({ onEvent: (e: LifecycleEvent) => events.record(e) }));
  return { events, server };
}

async function connectRecording(step: StepContext, client: ConnectOptions = CLIENTS[0]!) {
  const { events, server } = await createRecording(step);
  return { events, server, ...(await linkInMemory(step, server, client)) };
}

function describeEvents(events: LifecycleEvent[]): string {
  return events.length ? events.map((e) => JSON.stringify(e)).join(', ') : 'no events';
}

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test("R3.1: oninitialized reports the connecting client's identity and capabilities", async () => {
    for (const options of CLIENTS) {
      const { events, client } = await connectRecording(step, options);
      // Messages are handled in order: once ping is answered, notifications/initialized has been handled.
      await request(step, 'ping', (o) => client.ping(o));
      const event = step.require(
        events.received.find((e) => e.type === 'initialized'),
        `expected an "initialized" event once the handshake is done; the server reported ${describeEvents(events.received)}. Set server.server.oninitialized.`,
      );
      step.expect(event.client, `the initialized event carries the name and version of the client that connected (${JSON.stringify(options.clientInfo)}): read them with getClientVersion() inside the hook`).toMatchObject(
        options.clientInfo,
      );
      step.expect(event.capabilities, `the initialized event carries that client's capabilities (getClientCapabilities())`).toMatchObject(options.capabilities);
    }
  });

  test('R3.2: initialized is reported once, when the handshake is done, not before', async () => {
    const { events, server } = await createRecording(step);
    step.expect(events.received.map((e) => e.type), 'createServer() must not report any event before a client connects').toEqual([]);
    const { client } = await linkInMemory(step, server, CLIENTS[0]);
    await request(step, 'ping', (o) => client.ping(o));
    await request(step, 'tools/list', (o) => client.listTools({}, o));
    const initialized = events.received.filter((e) => e.type === 'initialized');
    step.expect(initialized.length, `one "initialized" event per session; the server reported ${describeEvents(events.received)}`).toBe(1);
  });

  test('R3.3: onclose reports the end of the session, and only then', async () => {
    const { events, client } = await connectRecording(step);
    await request(step, 'ping', (o) => client.ping(o));
    step.expect(events.received.map((e) => e.type), 'no "closed" event while the session is open').not.toContain('closed');
    await client.close(); // the in-memory transport closes the server's end before this resolves
    step.expect(events.received.map((e) => e.type), `a "closed" event once the client disconnected (server.server.onclose); the server reported ${describeEvents(events.received)}`).toContain('closed');
  });

  test('R3.4: onerror reports a protocol error with its message', async () => {
    const { events, client, clientTransport } = await connectRecording(step);
    // A response to a request the server never sent: the protocol layer reports it through onerror.
    await clientTransport.send({ jsonrpc: '2.0', id: 987654, result: {} });
    await request(step, 'ping after the stray response (the session goes on)', (o) => client.ping(o));
    const event = step.require(
      events.received.find((e) => e.type === 'error'),
      `expected an "error" event for a response to an unknown request id; the server reported ${describeEvents(events.received)}. Set server.server.onerror.`,
    );
    step.expect(typeof event.message, `the error event carries the error's message as a string: ${JSON.stringify(event)}`).toBe('string');
    // The SDK's message quotes the stray response, so error.message names its id.
    step.expect(event.message, `the error event carries error.message (which names the stray id 987654): ${JSON.stringify(event)}`).toContain('987654');
  });
});
