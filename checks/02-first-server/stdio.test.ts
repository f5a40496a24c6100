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
    let id = 0;
    /** Sends a request and waits for its reply; every stdout line so far must be JSON-RPC. */
    const call = async (what: string, method: string, params?: unknown) => {
      const mine = ++id;
      server.send({ jsonrpc: '2.0', id: mine, method, ...(params ? { params } : {}) });
      const reply = (await server.nextMessage(`the reply to ${what} (id ${mine})`, (m) => m.id === mine)) as { result?: { isError?: boolean; content?: Array<{ text?: string }> } };
      for (const line of server.stdoutLines) {
        const message = parseJson(line);
        if (message?.jsonrpc !== '2.0') {
          step.fail(`stdout must carry only JSON-RPC messages, but by the reply to ${what} the server had written ${JSON.stringify(line)}. Use console.error for logs, in tool handlers too.`);
        }
      }
      return reply.result ?? {};
    };
    const tool = (name: string, args: Record<string, unknown>) =>
      call(`tools/call ${name} ${JSON.stringify(args)}`, 'tools/call', { name, arguments: args });

    await call('initialize', 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-check', version: '1.0.0' } });
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });

    for (const project of ['WEB', 'API']) {
      const listing = await tool('list_tasks', { project });
      step.expect(listing.isError ?? false, `createServer() serves the demo board, which has project ${project}: ${JSON.stringify(listing)}`).toBe(false);
      step.expect(listing.content?.map((c) => c.text).join('\n'), `the demo board's ${project} tasks are listed`).toContain(`${project}-1`);
    }
    const created = await tool('create_task', { project: 'WEB', title: 'Raw over stdio' });
    step.expect(created.isError ?? false, `create_task over stdio: ${JSON.stringify(created)}`).toBe(false);
    await tool('complete_task', { id: 'WEB-1' });
    await tool('complete_task', { id: 'WEB-1' });
    await tool('create_task', { project: 'NOPE', title: 'Lost' });
    await tool('list_tasks', { project: 'NOPE' });
    await server.waitForStderr('a line saying the server is ready (console.error after connect)', (text) => text.trim() !== '');
  });
});
