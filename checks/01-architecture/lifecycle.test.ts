import { describe, test } from 'vitest';
import { connectServer, Recorder, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface LifecycleEvent {
  type: string;
  client?: { name?: string; version?: string };
  capabilities?: Record<string, unknown>;
  message?: string;
}

/** Connects a client that introduces itself distinctly, recording the server's lifecycle events. */
async function connectRecording(step: StepContext) {
  const events = new Recorder<LifecycleEvent>((e) => e.type);
  const onEvent = (e: LifecycleEvent) => events.record(e);
  const link = await connectServer(step, { onEvent }, {
    clientInfo: { name: 'lifecycle-check', version: '7.3.1' },
    capabilities: { sampling: {}, roots: { listChanged: true } },
  });
  return { events, ...link };
}

function describeEvents(events: LifecycleEvent[]): string {
  return events.length ? events.map((e) => e.type).join(', ') : 'no events';
}

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('oninitialized reports the client\'s identity and capabilities', async () => {
    const { events, client } = await connectRecording(step);
    // Messages are handled in order: once ping is answered, notifications/initialized has been handled.
    await client.ping();
    const event = step.require(
      events.received.find((e) => e.type === 'initialized'),
      `expected an "initialized" event once the handshake is done; the server reported ${describeEvents(events.received)}. Set server.server.oninitialized.`,
    );
    step.expect(event.client, 'the initialized event carries the client\'s name and version').toMatchObject({ name: 'lifecycle-check', version: '7.3.1' });
    step.expect(event.capabilities, 'the initialized event carries the client\'s capabilities').toMatchObject({ sampling: {}, roots: { listChanged: true } });
  });

  test('onclose reports the end of the session', async () => {
    const { events, client } = await connectRecording(step);
    await client.close(); // the in-memory transport closes the server's end before this resolves
    step.expect(events.received.map((e) => e.type), 'a "closed" event once the client disconnected (server.server.onclose)').toContain('closed');
  });

  test('onerror reports a protocol error', async () => {
    const { events, client, clientTransport } = await connectRecording(step);
    // A response to a request the server never sent: the protocol layer reports it through onerror.
    await clientTransport.send({ jsonrpc: '2.0', id: 987654, result: {} });
    await client.ping();
    const event = step.require(
      events.received.find((e) => e.type === 'error'),
      `expected an "error" event for a response to an unknown request id; the server reported ${describeEvents(events.received)}. Set server.server.onerror.`,
    );
    step.expect(typeof event.message, 'the error event carries the error\'s message').toBe('string');
  });
});
