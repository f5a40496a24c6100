import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

// Step 3: the server as a host runs it: a separate process, JSON-RPC over its stdin and stdout.
// Slower than in-memory (a process per test), so a few tests of what only a process shows.

const LESSON = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const clients: Client[] = [];
afterEach(async () => {
  // Closing the client ends the server process too.
  for (const client of clients.splice(0)) await client.close();
});

describe('over stdio', () => {
  test('a client completes the handshake and calls a tool', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', MAIN],
      cwd: LESSON,
      env: { ...getDefaultEnvironment(), TASKBOARD_LOG_LEVEL: 'warning' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'lesson-07-stdio', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('taskboard');
    const result = await client.callTool({ name: 'list_tasks', arguments: { project: 'WEB' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('WEB-1');
  });

  test('stdout carries JSON-RPC and nothing else', async () => {
    // Spoken to line by line, without the SDK client (which would skip a stray line quietly).
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: LESSON, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'WEB', title: 'Over the wire' } } })}\n`);
    // The end of stdin stops the server once it has answered (step 6): the exit is our "done".
    child.stdin.end();
    const [code] = await once(child, 'exit');
    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(lines.some((line) => JSON.parse(line).id === 2)).toBe(true);
    expect(code).toBe(0);
  });
});
