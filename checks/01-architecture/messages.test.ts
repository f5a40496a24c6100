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

  async function expectAll(cases: Array<[string, unknown]>, why: string) {
    for (const [kind, message] of cases) {
      const got = await classify(message);
      step.expect(got, `classifyMessage(${JSON.stringify(message)}) should be '${kind}' (${why}), got '${got}'`).toBe(kind);
    }
  }

  test('R1.1: tells requests, notifications, responses and errors apart', async () => {
    await expectAll(
      [
        ['request', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
        // 0 and negative integers are ids too: a truthiness test on the id gets 0 wrong
        ['request', { jsonrpc: '2.0', id: 0, method: 'ping' }],
        ['request', { jsonrpc: '2.0', id: 'a7', method: 'tools/call', params: { name: 'x' } }],
        ['notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
        ['notification', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }],
        ['response', { jsonrpc: '2.0', id: 1, result: {} }],
        ['response', { jsonrpc: '2.0', id: 0, result: {} }],
        ['response', { jsonrpc: '2.0', id: 'a7', result: { tools: [] } }],
        ['error', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } }],
        ['error', { jsonrpc: '2.0', id: -3, error: { code: -32602, message: 'Invalid params', data: { field: 'name' } } }],
        // the request's id could not be read (a parse error): the error goes back without one
        ['error', { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } }],
      ],
      'a well-formed JSON-RPC 2.0 message',
    );
  });

  test('R1.2: calls anything that is not a JSON-RPC 2.0 object invalid', async () => {
    await expectAll(
      [
        ['invalid', 'not an object'],
        ['invalid', null],
        ['invalid', 42],
        ['invalid', [{ jsonrpc: '2.0', id: 1, method: 'ping' }]],
        ['invalid', { id: 1, method: 'ping' }],
        ['invalid', { jsonrpc: '1.0', id: 1, method: 'ping' }],
        ['invalid', { jsonrpc: 2, id: 1, method: 'ping' }],
      ],
      'only a plain object with jsonrpc exactly "2.0" is a message',
    );
  });

  test('R1.3: calls an id that is not a string or an integer invalid', async () => {
    await expectAll(
      [
        ['invalid', { jsonrpc: '2.0', id: null, method: 'ping' }],
        ['invalid', { jsonrpc: '2.0', id: 1.5, method: 'ping' }],
        ['invalid', { jsonrpc: '2.0', id: true, method: 'ping' }],
        ['invalid', { jsonrpc: '2.0', id: null, result: {} }],
        ['invalid', { jsonrpc: '2.0', id: 1.5, result: {} }],
        ['invalid', { jsonrpc: '2.0', id: { n: 1 }, result: {} }],
        ['invalid', { jsonrpc: '2.0', id: 2.5, error: { code: -32603, message: 'Internal error' } }],
      ],
      'MCP ids are strings or integers, never null',
    );
  });

  test('R1.4: calls wrong combinations of method, id, result and error invalid', async () => {
    await expectAll(
      [
        ['invalid', { jsonrpc: '2.0', id: 1 }],
        ['invalid', { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'both' } }],
        ['invalid', { jsonrpc: '2.0', id: 1, method: 'ping', result: {} }],
        ['invalid', { jsonrpc: '2.0', id: 1, method: 'ping', error: { code: -32601, message: 'x' } }],
        ['invalid', { jsonrpc: '2.0', method: 'notifications/initialized', result: {} }],
        ['invalid', { jsonrpc: '2.0', id: 1, method: 7 }],
        ['invalid', { jsonrpc: '2.0', id: 1, method: null, result: {} }],
        ['invalid', { jsonrpc: '2.0', result: {} }],
      ],
      'a message is exactly one kind',
    );
  });

  test('R1.5: calls an error without an integer code and a string message invalid', async () => {
    await expectAll(
      [
        ['invalid', { jsonrpc: '2.0', id: 1, error: { message: 'no code' } }],
        ['invalid', { jsonrpc: '2.0', id: 1, error: { code: -32601.5, message: 'fractional code' } }],
        ['invalid', { jsonrpc: '2.0', id: 1, error: { code: '-32601', message: 'string code' } }],
        ['invalid', { jsonrpc: '2.0', id: 1, error: { code: -32601 } }],
        ['invalid', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 404 } }],
        ['invalid', { jsonrpc: '2.0', id: 1, error: null }],
        ['invalid', { jsonrpc: '2.0', error: 'Parse error' }],
      ],
      'an error object has an integer code and a string message',
    );
  });
});
