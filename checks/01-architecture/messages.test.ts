import { describe, test } from 'vitest';
import { stepTitle, useLesson } from '../harness/index.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  async function classify(message: unknown): Promise<string> {
    const classifyMessage = await step.fn<(m: unknown) => string>('classifyMessage');
    return step.run(`classifyMessage(${JSON.stringify(message)})`, () => classifyMessage(message));
  }

  const wellFormed: Array<[string, unknown]> = [
    ['request', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
    ['request', { jsonrpc: '2.0', id: 'a7', method: 'tools/call', params: { name: 'x' } }],
    ['notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ['notification', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }],
    ['response', { jsonrpc: '2.0', id: 1, result: {} }],
    ['response', { jsonrpc: '2.0', id: 'a7', result: { tools: [] } }],
    ['error', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } }],
    // the request's id could not be read (a parse error): the error goes back without one
    ['error', { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } }],
  ];

  test('tells requests, notifications, responses and errors apart', async () => {
    for (const [kind, message] of wellFormed) {
      step.expect(await classify(message), `classifyMessage(${JSON.stringify(message)})`).toBe(kind);
    }
  });

  const malformed: unknown[] = [
    'not an object',
    null,
    [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
    { id: 1, method: 'ping' },
    { jsonrpc: '1.0', id: 1, method: 'ping' },
    { jsonrpc: '2.0', id: null, method: 'ping' },
    { jsonrpc: '2.0', id: 1.5, result: {} },
    { jsonrpc: '2.0', id: 1 },
    { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'both' } },
    { jsonrpc: '2.0', id: 1, error: { message: 'no code' } },
    { jsonrpc: '2.0', id: 1, method: 'ping', result: {} },
    { jsonrpc: '2.0', result: {} },
  ];

  test('calls everything else invalid', async () => {
    for (const message of malformed) {
      step.expect(await classify(message), `classifyMessage(${JSON.stringify(message)}) is not valid JSON-RPC 2.0 for MCP`).toBe('invalid');
    }
  });
});
