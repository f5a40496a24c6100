import { describe, expect, test } from 'vitest';
import { connectStdio, listTools, RawStdioServer, stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('the process answers a Client over stdio and serves the three tools', async () => {
    const { client } = await connectStdio(step, 'src/main.ts');
    step.expect(client.getServerVersion()?.name, 'serverInfo.name over stdio').toBe('taskboard');
    const names = (await listTools(step, client)).map((t) => t.name);
    step.expect(names, 'tools/list over stdio').toEqual(expect.arrayContaining(['create_task', 'list_tasks', 'complete_task']));
  });

  test('stdout carries only JSON-RPC; logs go to stderr', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-check', version: '1.0.0' } } });
    await server.nextMessage('the initialize response (id 1)', (m) => m.id === 1);
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'WEB' } } });
    await server.nextMessage('the tools/call response (id 2)', (m) => m.id === 2);
    for (const line of server.stdoutLines) {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        step.fail(`stdout must carry only JSON-RPC messages, but the server wrote: ${JSON.stringify(line)}. Use console.error for logs.`);
      }
      step.expect((message as { jsonrpc?: string }).jsonrpc, `every stdout line is a JSON-RPC 2.0 message: ${line}`).toBe('2.0');
    }
    step.expect(server.stderr.trim(), 'log a line to stderr (console.error) when the server is ready').not.toBe('');
  });
});
