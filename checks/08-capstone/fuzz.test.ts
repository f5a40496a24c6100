import { describe, expect, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { DEPTH, FUZZ_PROJECT, fuzzMessages, type FuzzMessage } from './fuzz.js';
import { httpClient, KEYS, messagesOf, ok, rawSession, ServerProcess, SLOW, START_TIMEOUT_MS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
/** How many generated messages each transport gets in the checks (the spec's figure; fuzz-full.ts sends 10,000). */
export const FUZZ_COUNT = 150;

/** A POST whose answer (headers and body) must come within the answer deadline: a hung request fails, it does not stall the check. */
async function postWithin(step: StepContext, url: URL, body: string, headers: Record<string, string>, what: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return step.fail(`${what} got no whole answer within ${ANSWER_TIMEOUT_MS / 1000} s (${String(error)}): every request is answered, even one whose id is reused or that is huge`);
  }
}

const show = (text: string) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** The JSON-RPC messages of an HTTP answer, or a teaching failure when it is not JSON-RPC. */
function parsed(step: StepContext, message: FuzzMessage, answer: { status: number; text: string }): Array<Record<string, any>> {
  try {
    return messagesOf(answer.text);
  } catch {
    return step.fail(`the answer to ${show(message.text)} should be JSON-RPC (JSON or an SSE stream), got ${answer.status} ${answer.text.slice(0, 200)}`);
  }
}

/** What the spec requires of the one answer to a well-formed request (R-HTTP-3, R-STDIO-2). */
function judge(step: StepContext, message: FuzzMessage, reply: Record<string, any>): void {
  if (message.code !== undefined) step.expect(reply.error?.code, `${show(message.text)} names an unknown method: the JSON-RPC error -32601`).toBe(message.code);
  if (message.toolError) step.expect(reply.result?.isError, `${show(message.text)} (a 1 MB title, or arguments nested ${DEPTH} deep) should be answered with a tool error (isError: true), got ${JSON.stringify(reply).slice(0, 200)}`).toBe(true);
}

describe(stepTitle(meta, 7), () => {
  const step: StepContext = lesson.step(7);

  test('R-HTTP-3: 150 generated malformed messages over HTTP (huge, deeply nested, reused ids, no session): each answered below 500 as the spec says; the server stays usable', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const url = server.url!;
    const headers = { authorization: `Bearer ${KEYS.admin.key}` };
    const sessionId = await rawSession(step, url, headers);
    const onSession = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await postWithin(step, url, JSON.stringify({ jsonrpc: '2.0', id: 'setup', method: 'tools/call', params: { name: 'create_project', arguments: { key: FUZZ_PROJECT, name: 'Fuzz' } } }), onSession, `create_project ${FUZZ_PROJECT}`);
    for (const message of fuzzMessages(FUZZ_COUNT)) {
      if (message.beforeInit) {
        // Without a session: a request before initialize (R-HTTP-2's rule, over many methods).
        const answer = await postWithin(step, url, message.text, headers, `POST without a session of ${show(message.text)}`);
        step.expect(answer.status, `a request without a session id that is not initialize (${show(message.text)}) should be 400, got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(400);
        step.expect(parsed(step, message, answer)[0]?.error?.code, `the 400 answer to ${show(message.text)} should be a JSON-RPC error object`).toEqual(expect.any(Number));
        continue;
      }
      if (message.reusedBy !== undefined) {
        // The first (an import) is under way once its answer's headers are here; the second reuses its id.
        const first = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...onSession }, body: message.text, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) }).catch((error: unknown) =>
          step.fail(`the import ${show(message.text)} got no answer within ${ANSWER_TIMEOUT_MS / 1000} s (${String(error)})`),
        );
        const second = await postWithin(step, url, message.reusedBy, onSession, `the request ${show(message.reusedBy)} that reuses id ${message.id}`);
        const firstText = await first.text().catch((error: unknown) => step.fail(`the import with id ${message.id} never finished its answer after a second request reused its id (${String(error)}): the first request must still be answered`));
        step.expect(first.status, `the import with id ${message.id} should be answered 200, got ${first.status} ${firstText.slice(0, 200)}`).toBe(200);
        step.require(parsed(step, message, { status: first.status, text: firstText }).find((m) => m.id === message.id && m.result), `the import with id ${message.id} should get its own answer though a second request reused the id; got ${firstText.slice(0, 200)}`);
        step.expect([200, 409], `a request reusing the id ${message.id} of a request in flight should be refused with 409 (or answered, if the first was done), got ${second.status} ${second.text.slice(0, 200)}`).toContain(second.status);
        const reply = parsed(step, message, second).find((m) => m.id === message.id);
        if (second.status === 409) step.expect(reply?.error?.code, `the 409 answer to a reused id carries the JSON-RPC error -32600 and the id ${message.id}; got ${second.text.slice(0, 200)}`).toBe(-32600);
        else step.require(reply, `the request reusing id ${message.id} was accepted (200), so its answer must carry the id; got ${second.text.slice(0, 200)}`);
        continue;
      }
      const answer = await postWithin(step, url, message.text, onSession, `POST of ${show(message.text)}`);
      step.expect(answer.status < 500, `POST of ${show(message.text)} should be answered below 500 (a malformed message is the client's error), got ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
      if (message.id === undefined) continue;
      const reply = step.require(
        parsed(step, message, answer).find((m) => m.id === message.id),
        `the well-formed request ${show(message.text)} should get an answer with id ${message.id}; got ${answer.status} ${answer.text.slice(0, 200)}`,
      );
      judge(step, message, reply);
    }
    step.expect(server.exited, `the server should still run after the malformed messages (${server.exited ? server.exitText() : ''})`).toBe(false);
    const client = await httpClient(step, server);
    await ok(step, client, 'create_project', { key: 'AFTER', name: 'After the fuzz' });
    await ok(step, client, 'list_tasks', { project: 'AFTER' });
  });
});

describe(stepTitle(meta, 8), () => {
  const step: StepContext = lesson.step(8);

  test('R-STDIO-1, R-STDIO-2: 150 generated malformed lines over stdio (before the handshake, huge, deeply nested, reused ids): stdout stays JSON-RPC, each request answered as the spec says, the server stays usable', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'stdio' });
    const messages = fuzzMessages(FUZZ_COUNT);
    // Requests before the handshake come first, then initialize and the rest.
    for (const message of messages.filter((m) => m.beforeInit)) server.send(message.text);
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 'setup', method: 'tools/call', params: { name: 'create_project', arguments: { key: FUZZ_PROJECT, name: 'Fuzz' } } });
    for (const message of messages.filter((m) => !m.beforeInit)) {
      server.send(message.text);
      if (message.reusedBy !== undefined) server.send(message.reusedBy);
    }
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_project', arguments: { key: 'ZZAFTER', name: 'After the fuzz' } } });
    server.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'ZZAFTER' } } });
    const requests = messages.filter((m) => m.id !== undefined);
    const wanted = new Map<unknown, number>([[1, 1], [2, 1], [3, 1], ...requests.map((m): [unknown, number] => [m.id, m.reusedBy === undefined ? 1 : 2])]);
    let lines = 0;
    let all: Array<Record<string, any> | undefined> = [];
    const answers = () => {
      // Parse only what is new: the check waits on this after every line.
      for (; lines < server.stdout.length; lines++) {
        try {
          all.push(JSON.parse(server.stdout[lines]!) as Record<string, any>);
        } catch {
          all.push(undefined);
        }
      }
      return all;
    };
    const count = (id: unknown) => answers().filter((m) => m !== undefined && m.id === id && ('result' in m || 'error' in m)).length;
    await server.until(`answers to all ${wanted.size} well-formed requests on stdout`, () => [...wanted].every(([id, n]) => count(id) >= n), START_TIMEOUT_MS);
    all = [];
    lines = 0;
    const bad = server.stdout.find((_, i) => answers()[i]?.jsonrpc !== '2.0');
    if (bad !== undefined) step.fail(`every line on stdout must be a JSON-RPC message (logs go to stderr); found ${JSON.stringify(bad.slice(0, 200))}`);
    for (const message of requests) {
      const replies = answers().filter((m) => m !== undefined && m.id === message.id && ('result' in m || 'error' in m)) as Array<Record<string, any>>;
      const why = message.beforeInit ? ' (sent before initialize: answer it, with a result or an error)' : message.reusedBy !== undefined ? ` and the request reusing its id (${show(message.reusedBy)}) another: two answers with that id` : '';
      step.expect(replies.length, `the request ${show(message.text)} should get exactly one answer${why}`).toBe(message.reusedBy === undefined ? 1 : 2);
      if (message.reusedBy !== undefined) step.expect(replies.some((r) => r.result?.structuredContent?.created === 300), `the import with id ${message.id} should still be answered as an import (created: 300) though another request reused its id`).toBe(true);
      else judge(step, message, replies[0]!);
    }
    const last = answers().find((m) => m?.id === 3);
    step.expect(last?.result === undefined || last.result.isError === true, `after the malformed lines, list_tasks should still work, got ${JSON.stringify(last).slice(0, 300)}`).toBe(false);
    step.expect(server.exited, 'the server should still be running').toBe(false);
  });
});
