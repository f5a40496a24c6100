import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { ServerProcess } from './server-process.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/**
 * Starts the stdio server, sends a slow estimate_task (the stand-in service takes 1.2 s) and
 * waits for its first progress notification: from then on the call is in flight.
 */
async function slowCall(step: StepContext) {
  const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_ESTIMATE_DELAY_MS: '1200', TASKBOARD_LOG_LEVEL: 'info' });
  await server.handshake();
  server.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'estimate_task', arguments: { id: 'WEB-1' }, _meta: { progressToken: 'slow' } } });
  await server.message('a progress notification for the slow estimate_task', (m) => m.method === 'notifications/progress');
  return server;
}

async function expectAnsweredThenExit0(step: StepContext, server: ServerProcess, what: string) {
  const answer = await server.message(`the answer to the estimate in flight when ${what}`, (m) => m.id === 7);
  step.expect(answer.result, `the estimate in flight when ${what} should get its result, got ${JSON.stringify(answer).slice(0, 300)}`).toBeDefined();
  step.expect((answer.result as { isError?: boolean }).isError, `the estimate in flight when ${what} should finish normally, not as an error: ${JSON.stringify(answer).slice(0, 300)}`).toBeFalsy();
  const code = await server.exit(`the server to exit after ${what}`);
  step.expect(code, `after ${what}, once the call is answered, the server should exit with code 0${server.signal ? ` (it was killed by ${server.signal}: the signal is not handled)` : ''}.${server.context()}`).toBe(0);
}

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);

  test('R6.1: on SIGTERM during a slow call, the call is answered, then the server exits 0', { timeout: 60_000 }, async () => {
    const server = await slowCall(step);
    server.child.kill('SIGTERM');
    await expectAnsweredThenExit0(step, server, 'SIGTERM came');
  });

  test('R6.2: on SIGINT during a slow call, the call is answered, then the server exits 0', { timeout: 60_000 }, async () => {
    const server = await slowCall(step);
    server.child.kill('SIGINT');
    await expectAnsweredThenExit0(step, server, 'SIGINT came');
  });

  test('R6.3: when stdin ends during a slow call, the call is answered, then the server exits 0', { timeout: 60_000 }, async () => {
    const server = await slowCall(step);
    server.child.stdin.end();
    await expectAnsweredThenExit0(step, server, 'stdin ended');
  });
});
