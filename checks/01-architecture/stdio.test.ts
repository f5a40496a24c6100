import { describe, test } from 'vitest';
import { RawStdioServer, stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('a raw initialize line gets one JSON-RPC line back, and an unknown method gets -32601', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-check', version: '1.0.0' } } });
    const reply = (await server.nextMessage('a reply to initialize (id 1)', (m) => m.id === 1)) as { jsonrpc?: string; result?: { protocolVersion?: string; serverInfo?: { name?: string } } };
    step.expect(reply.jsonrpc, 'the reply is JSON-RPC 2.0').toBe('2.0');
    step.expect(reply.result?.protocolVersion, 'the server agrees to protocol 2025-11-25').toBe('2025-11-25');
    step.expect(reply.result?.serverInfo?.name, 'serverInfo.name in the initialize result').toBe('taskboard');

    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 2, method: 'taskboard/explode' });
    const unknown = (await server.nextMessage('a reply to the unknown method (id 2)', (m) => m.id === 2)) as { error?: { code?: number } };
    step.expect(unknown.error?.code, 'an unknown method is answered with JSON-RPC error -32601 (Method not found)').toBe(-32601);

    server.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    const pong = (await server.nextMessage('a reply to ping (id 3)', (m) => m.id === 3)) as { result?: unknown };
    step.expect(pong.result, 'ping is answered with an empty result').toEqual({});

    for (const line of server.stdoutLines) {
      try {
        JSON.parse(line);
      } catch {
        step.fail(`stdout must carry only JSON-RPC, one message per line, but the server wrote ${JSON.stringify(line)}. Log with console.error.`);
      }
    }
    step.expect(server.stderr.trim(), 'log to stderr (console.error) that the server is listening').not.toBe('');
  });
});
