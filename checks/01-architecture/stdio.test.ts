import { describe, test } from 'vitest';
import { parseJson, RawStdioServer, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-check', version: '1.0.0' } },
};

/** Every line on stdout so far must be one JSON-RPC 2.0 message. */
function expectPureStdout(step: StepContext, server: RawStdioServer, after: string) {
  for (const line of server.stdoutLines) {
    const message = parseJson(line);
    if (message?.jsonrpc !== '2.0') {
      step.fail(`stdout must carry only JSON-RPC messages, one per line, but after ${after} the server wrote ${JSON.stringify(line)}. Log with console.error (stderr).`);
    }
  }
}

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('R5.1, R5.2: a raw initialize line gets one JSON-RPC line back; an unknown method gets a well-formed -32601; ping gets {}', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send(INITIALIZE);
    const reply = (await server.nextMessage('a reply to initialize (id 1)', (m) => m.id === 1)) as { jsonrpc?: string; result?: { protocolVersion?: string; serverInfo?: { name?: string } } };
    step.expect(parseJson(server.stdoutLines[0] ?? '')?.id, `the first line on stdout is the initialize reply; stdout: ${server.stdoutLines.join(' / ')}`).toBe(1);
    step.expect(reply.jsonrpc, 'the reply is JSON-RPC 2.0').toBe('2.0');
    step.expect(reply.result?.protocolVersion, 'the server agrees to protocol 2025-11-25').toBe('2025-11-25');
    step.expect(reply.result?.serverInfo?.name, 'serverInfo.name in the initialize result (step 2)').toBe('taskboard');

    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 2, method: 'taskboard/explode' });
    const unknown = (await server.nextMessage('a reply to the unknown method (id 2)', (m) => m.id === 2)) as { result?: unknown; error?: { code?: unknown; message?: unknown } };
    step.expect(unknown.result, `an unknown method gets an error, not a result: ${JSON.stringify(unknown)}`).toBeUndefined();
    step.expect(unknown.error?.code, 'an unknown method is answered with JSON-RPC error -32601 (Method not found)').toBe(-32601);
    step.expect(typeof unknown.error?.message, `a JSON-RPC error carries a string message: ${JSON.stringify(unknown)}`).toBe('string');

    server.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    const pong = (await server.nextMessage('a reply to ping (id 3)', (m) => m.id === 3)) as { result?: unknown };
    step.expect(pong.result, 'ping is answered with an empty result').toEqual({});
  });

  test('R5.3: the ready line and every lifecycle event go to stderr', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send(INITIALIZE);
    await server.nextMessage('a reply to initialize (id 1)', (m) => m.id === 1);
    // Nothing has happened to the session yet: whatever is on stderr is the ready line.
    await server.waitForStderr('a line saying the server is listening (console.error after connect)', (text) => text.trim() !== '');

    let from = server.stderr.length;
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await server.waitForStderr('the "initialized" event naming the client "raw-check" (pass createServer an onEvent that writes to console.error)', (text) => text.includes('raw-check'), from);

    from = server.stderr.length;
    server.send('this line is not json at all');
    await server.waitForStderr('the "error" event for a line that is not JSON (onEvent writes every event to stderr)', (text) => /error/i.test(text), from);
  });

  test('R5.4: stdout carries only JSON-RPC: during the handshake, a tool call, an unknown method and a broken line', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send(INITIALIZE);
    await server.nextMessage('a reply to initialize (id 1)', (m) => m.id === 1);
    expectPureStdout(step, server, 'initialize');
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'describe_board', arguments: {} } });
    const board = (await server.nextMessage('a reply to tools/call describe_board (id 2)', (m) => m.id === 2)) as { result?: { isError?: boolean; content?: Array<{ text?: string }> } };
    expectPureStdout(step, server, 'notifications/initialized and a tools/call');
    // createServer() with no store serves the demo board: WEB has 3 tasks, API 2, one line each.
    const lines = (board.result?.content ?? []).map((c) => c.text ?? '').join('\n').split('\n');
    step.expect(board.result?.isError ?? false, `describe_board answers over stdio: ${JSON.stringify(board)}`).toBe(false);
    for (const [key, count, other] of [['WEB', 3, 'API'], ['API', 2, 'WEB']] as const) {
      const line = lines.find((l) => l.includes(key));
      step.expect(line, `describe_board names project ${key} of the demo board (createServer() with no store): ${JSON.stringify(board)}`).toBeDefined();
      step.expect(line, `describe_board counts the ${count} tasks of ${key} on its line`).toMatch(new RegExp(`\\b${count}\\b`));
      step.expect(line, `describe_board gives each project its own line`).not.toContain(other);
    }
    server.send({ jsonrpc: '2.0', id: 3, method: 'taskboard/explode' });
    server.send('this line is not json at all');
    // Lines are handled in order: once ping is answered, everything before it has been.
    server.send({ jsonrpc: '2.0', id: 4, method: 'ping' });
    await server.nextMessage('a reply to ping (id 4)', (m) => m.id === 4);
    expectPureStdout(step, server, 'an unknown method and a line that is not JSON');
    step.expect(server.stdoutLines.length, `one reply per request (ids 1–4), none for the notification or the broken line; stdout: ${server.stdoutLines.join(' / ')}`).toBe(4);
  });
});
