import { describe, test } from 'vitest';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, callTool, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { describeError, within } from '../harness/failure.js';
import { annotationsOf, captureOutput, connectToBoard, deferred, SECRET } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface Seen {
  id: unknown;
  signal: unknown;
}

const seedOne = (store: { createTask(input: { project: string; title: string }): unknown }) => void store.createTask({ project: 'WEB', title: 'Estimate me' });

describe(stepTitle(meta, 7), () => {
  const step = lesson.step(7);

  test('R7.1: estimate_task takes a required task id and says it only reads but reaches outside the board', async () => {
    const { client } = await connectToBoard(step, { estimator: async () => 1 }, seedOne);
    const tool = await requireTool(step, client, 'estimate_task');
    const schema = tool.inputSchema as { properties?: Record<string, { pattern?: string; description?: string }>; required?: string[] };
    step.expect(schema.required ?? [], 'estimate_task: id is required').toContain('id');
    const pattern = schema.properties?.id?.pattern;
    if (pattern === undefined) return step.fail('estimate_task: id needs the task id pattern, z.string().regex(TASK_ID_PATTERN)');
    step.expect([new RegExp(pattern).test('WEB-12'), new RegExp(pattern).test('web12')], `estimate_task: id's pattern (${pattern}) accepts "WEB-12" and refuses "web12"`).toEqual([true, false]);
    step.expect(schema.properties?.id?.description?.trim(), 'estimate_task: describe id').toBeTruthy();
    const a = annotationsOf(tool);
    step.expect(a.readOnlyHint, 'estimate_task changes nothing: readOnlyHint true').toBe(true);
    step.expect(a.openWorldHint, 'estimate_task asks a service outside the board: openWorldHint true').toBe(true);
  });

  test('R7.2: estimate_task asks options.estimator(task, signal) once and answers with its figure; an unknown task is a tool error naming it', async () => {
    const seen: Seen[] = [];
    const estimator = async (task: { id: string }, signal: AbortSignal) => {
      seen.push({ id: task?.id, signal });
      return 13;
    };
    const { client } = await connectToBoard(step, { estimator }, seedOne);
    await requireTool(step, client, 'estimate_task');

    const result = await callTool(step, client, 'estimate_task', { id: 'WEB-1' });
    step.expect(result.isError ?? false, `estimate_task failed: ${show(result)}`).toBe(false);
    step.expect(seen.length, 'estimate_task calls options.estimator(task, signal) once').toBe(1);
    step.expect(seen[0]?.id, 'the estimator gets the task (WEB-1) from the store').toBe('WEB-1');
    step.expect(seen[0]?.signal instanceof AbortSignal, 'the estimator gets an AbortSignal as its second argument').toBe(true);
    step.expect(textOf(result), 'the answer carries the estimate (13 hours)').toContain('13');

    // Without options.estimator, the given stand-in (heuristicEstimator) answers.
    const plain = await connectToBoard(step, {}, seedOne);
    const standIn = await callTool(step, plain.client, 'estimate_task', { id: 'WEB-1' });
    step.expect(standIn.isError ?? false, `without options.estimator, estimate_task uses the stand-in heuristicEstimator: ${show(standIn)}`).toBe(false);
    step.expect(textOf(standIn), 'the stand-in estimate of WEB-1 (medium, a short title) is 4 hours').toMatch(/(^|\D)4(\D|$)/);

    const missing = await callTool(step, client, 'estimate_task', { id: 'WEB-99' });
    step.expect(missing.isError, `estimating WEB-99 (no such task) is a tool error, got ${show(missing)}`).toBe(true);
    step.expect(textOf(missing), 'the error names the missing task').toContain('WEB-99');
  });

  test('R7.3: a dependency that never answers (and ignores its signal): by deadlineMs, a tool error naming the task, and the dependency is told to stop', async () => {
    let signal: AbortSignal | undefined;
    const estimator = (_task: unknown, s: AbortSignal) => {
      signal = s;
      return new Promise<number>(() => {}); // never answers
    };
    const deadlineMs = 50;
    const { client } = await connectToBoard(step, { estimator, deadlineMs }, seedOne);
    await requireTool(step, client, 'estimate_task');
    // A guard, not a measurement: far above deadlineMs, and below the 2 s default, so a deadline
    // that ignores options.deadlineMs is seen.
    const guardMs = 1_500;
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name: 'estimate_task', arguments: { id: 'WEB-1' } }, CallToolResultSchema, { timeout: guardMs })) as CallToolResult;
    } catch (error) {
      return step.fail(
        `with deadlineMs ${deadlineMs} and an estimator that never answers, estimate_task must answer on its own, but it did not answer within ${guardMs / 1000} s (${describeError(error)}). ` +
          'Race the estimator against AbortSignal.timeout(deadlineMs) and answer with a tool error when the deadline passes.',
      );
    }
    step.expect(result.isError, `a missed deadline is a tool error (isError: true), got ${show(result)}`).toBe(true);
    step.expect(textOf(result), 'the timeout error names the task it could not estimate (WEB-1)').toContain('WEB-1');
    step.expect(signal, 'the estimator was called with a signal').toBeDefined();
    step.expect(signal?.aborted, 'when the deadline passes, abort the signal you gave the estimator, so it stops working too').toBe(true);
  });

  test('R7.4: a client cancellation reaches the dependency through its signal', async () => {
    const called = deferred<AbortSignal>();
    const estimator = (_task: unknown, s: AbortSignal) => {
      called.resolve(s);
      return new Promise<number>(() => {});
    };
    const { client } = await connectToBoard(step, { estimator, deadlineMs: 60_000 }, seedOne);
    await requireTool(step, client, 'estimate_task');
    const controller = new AbortController();
    const outcome = client
      .callTool({ name: 'estimate_task', arguments: { id: 'WEB-1' } }, CallToolResultSchema, { signal: controller.signal, timeout: ANSWER_TIMEOUT_MS })
      .then((result) => ({ done: 'answered' as const, result }), (error: unknown) => ({ done: 'rejected' as const, result: error }));
    const first = await within(Promise.race([called.promise, outcome]), ANSWER_TIMEOUT_MS, () => new Error('timeout')).catch(() => undefined);
    if (!(first instanceof AbortSignal)) {
      return step.fail(`estimate_task should call options.estimator(task, signal); ${first ? `it answered ${show(first.result)} without calling it` : 'it never did'}.`);
    }
    controller.abort('the check cancels the estimate');
    await outcome;
    const stopped = first.aborted
      ? true
      : await within(new Promise<boolean>((resolve) => first.addEventListener('abort', () => resolve(true), { once: true })), ANSWER_TIMEOUT_MS, () => new Error('timeout')).catch(() => false);
    step.expect(stopped, 'when the client cancels, the estimator\'s signal aborts too: combine them with AbortSignal.any([extra.signal, AbortSignal.timeout(deadlineMs)])').toBe(true);
  });
  test('R7.5: a dependency that fails is an unexpected error: a tool error that does not pass its message on', async () => {
    const estimator = async () => {
      throw new Error(`estimator: 401 from https://estimates.internal/api?key=${SECRET}`);
    };
    const { client } = await connectToBoard(step, { estimator, deadlineMs: 60_000 }, seedOne);
    await requireTool(step, client, 'estimate_task');
    const stop = captureOutput();
    let result: CallToolResult;
    let stderr = '';
    try {
      result = await callTool(step, client, 'estimate_task', { id: 'WEB-1' });
    } finally {
      stderr = stop().stderr;
    }
    step.expect(result.isError, `the estimator threw: answer with a tool error, got ${show(result)}`).toBe(true);
    step.expect(JSON.stringify(result).includes(SECRET), `the estimator's error message (with a key in it) reached the client: ${show(result)}. Rethrow it, so runTool answers with the generic error of step 4.`).toBe(false);
    step.expect(stderr.includes('estimates.internal'), `a failing estimator is an unexpected error: rethrow it, so toolErrorFrom logs it to stderr (it is not a timeout); stderr got ${JSON.stringify(stderr.slice(0, 200))}`).toBe(true);
  });
});
