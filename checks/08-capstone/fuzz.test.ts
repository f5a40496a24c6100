import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { fuzzMessages } from './fuzz.js';
import { httpClient, KEYS, messagesOf, ok, post, rawSession, ServerProcess, SLOW, START_TIMEOUT_MS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
/** How many malformed messages each transport gets (the spec's figure). */
export const FUZZ_COUNT = 150;

describe(stepTitle(meta, 7), () => {
  const step: StepContext = lesson.step(7);

  test('R-HTTP-3: 150 generated malformed messages over HTTP: each answered below 500, each well-formed request with its id; the server stays usable', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    const headers = { authorization: `Bearer ${KEYS.admin.key}` };
    const sessionId = await rawSession(step, url, headers);
    const onSession = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    for (const message of fuzzMessages(FUZZ_COUNT)) {
      const answer = await step.run(`POST ${message.text.slice(0, 80)}`, () => post(url, message.text, onSession));
      step.expect(answer.status < 500, `POST of ${JSON.stringify(message.text.slice(0, 120))} should be answered below 500 (a malformed message is the client's error), got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
      if (message.id === undefined) continue;
      let messages: Array<Record<string, any>> = [];
      try {
        messages = messagesOf(answer.text);
      } catch {
        step.fail(`the answer to ${message.text.slice(0, 120)} should be JSON-RPC (JSON or an SSE stream), got ${answer.text.slice(0, 200)}`);
      }
      const reply = step.require(
        messages.find((m) => m.id === message.id),
        `the well-formed request ${message.text.slice(0, 160)} should get an answer with id ${message.id}; got ${answer.status} ${answer.text.slice(0, 200)}`,
      );
      if (message.code !== undefined) step.expect(reply.error?.code, `${message.text.slice(0, 120)} names an unknown method: the JSON-RPC error -32601`).toBe(message.code);
    }
    step.expect(server.exited, `the server should still run after the malformed messages (${server.exited ? server.exitText() : ''})`).toBe(false);
    const client = await httpClient(step, server);
    await ok(step, client, 'create_project', { key: 'AFTER', name: 'After the fuzz' });
    await ok(step, client, 'list_tasks', { project: 'AFTER' });
  });
});

describe(stepTitle(meta, 8), () => {
  const step: StepContext = lesson.step(8);

  test('R-STDIO-1, R-STDIO-2: 150 generated malformed lines over stdio: stdout stays JSON-RPC, each well-formed request gets one answer, the server stays usable', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'stdio' });
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const messages = fuzzMessages(FUZZ_COUNT);
    for (const message of messages) server.send(message.text);
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_project', arguments: { key: 'ZZAFTER', name: 'After the fuzz' } } });
    server.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'ZZAFTER' } } });
    const expected = [1, 2, 3, ...messages.flatMap((m) => (m.id === undefined ? [] : [m.id]))];
    const parsed = () =>
      server.stdout.map((line) => {
        try {
          return JSON.parse(line) as Record<string, any>;
        } catch {
          return undefined;
        }
      });
    const answered = () => new Set(parsed().map((m) => m?.id));
    await server.until(`answers to all ${expected.length} well-formed requests on stdout`, () => expected.every((id) => answered().has(id)), START_TIMEOUT_MS);
    const bad = server.stdout.find((line, i) => parsed()[i]?.jsonrpc !== '2.0');
    if (bad !== undefined) step.fail(`every line on stdout must be a JSON-RPC message (logs go to stderr); found ${JSON.stringify(bad.slice(0, 200))}`);
    const all = parsed() as Array<Record<string, any>>;
    for (const message of messages.filter((m) => m.id !== undefined)) {
      const replies = all.filter((m) => m.id === message.id);
      step.expect(replies.length, `the request ${message.text.slice(0, 120)} should get exactly one answer`).toBe(1);
      if (message.code !== undefined) step.expect(replies[0]?.error?.code, `${message.text.slice(0, 120)} names an unknown method: -32601`).toBe(message.code);
    }
    const last = all.find((m) => m.id === 3);
    step.expect(last?.result === undefined || last.result.isError === true, `after the malformed lines, list_tasks should still work, got ${JSON.stringify(last).slice(0, 300)}`).toBe(false);
    step.expect(server.exited, 'the server should still be running').toBe(false);
  });
});
