import { describe, expect, test } from 'vitest';
import { connectStdio, listTools, parseJson, RawStdioServer, stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('R5.1: the process answers a Client over stdio and serves the three tools', async () => {
    const { client } = await connectStdio(step, 'src/main.ts');
    step.expect(client.getServerVersion()?.name, 'serverInfo.name over stdio').toBe('taskboard');
    const names = (await listTools(step, client)).map((t) => t.name);
    step.expect(names, 'tools/list over stdio').toEqual(expect.arrayContaining(['create_task', 'list_tasks', 'complete_task']));
  });

  test('R5.2, R5.3: stdout carries only JSON-RPC through reads, writes and errors; the demo board is served; logs go to stderr', async () => {
    const server = RawStdioServer.start(step, 'src/main.ts');
    server.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-check', version: '1.0.0' } } });
    await server.nextMessage('the reply to initialize (id 1)', (m) => m.id === 1);
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });

    // Reads, writes and failures, sent in one go (one spawn, no waiting between calls): once
    // every call is answered, every line its handler wrote is on stdout before its reply.
    const calls: Array<[name: string, args: Record<string, unknown>]> = [
      ['list_tasks', { project: 'WEB' }],
      ['list_tasks', { project: 'API' }],
      ['create_task', { project: 'WEB', title: 'Raw over stdio' }],
      ['complete_task', { id: 'WEB-1' }],
      ['complete_task', { id: 'WEB-1' }],
      ['create_task', { project: 'NOPE', title: 'Lost' }],
      ['list_tasks', { project: 'NOPE' }],
    ];
    calls.forEach(([name, args], i) => server.send({ jsonrpc: '2.0', id: 2 + i, method: 'tools/call', params: { name, arguments: args } }));
    const replies: Array<{ result?: { isError?: boolean; content?: Array<{ text?: string }> } }> = [];
    for (const [i, [name, args]] of calls.entries()) {
      replies.push((await server.nextMessage(`the reply to tools/call ${name} ${JSON.stringify(args)} (id ${2 + i})`, (m) => m.id === 2 + i)) as (typeof replies)[number]);
    }
    for (const line of server.stdoutLines) {
      if (parseJson(line)?.jsonrpc !== '2.0') {
        step.fail(`stdout must carry only JSON-RPC messages, but the server wrote ${JSON.stringify(line)}. Use console.error for logs, in tool handlers too.`);
      }
    }

    for (const [i, project] of ['WEB', 'API'].entries()) {
      const listing = replies[i]?.result ?? {};
      step.expect(listing.isError ?? false, `createServer() serves the demo board, which has project ${project}: ${JSON.stringify(listing)}`).toBe(false);
      step.expect(listing.content?.map((c) => c.text).join('\n'), `the demo board's ${project} tasks are listed`).toContain(`${project}-1`);
    }
    step.expect(replies[2]?.result?.isError ?? false, `create_task over stdio: ${JSON.stringify(replies[2])}`).toBe(false);
    await server.waitForStderr('a line saying the server is ready (console.error after connect)', (text) => text.trim() !== '');
  });
});
