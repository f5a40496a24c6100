import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { plantedRuns, referenceRun, slowReferenceRun, type SuiteRun } from './learner-tests.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** The learner's suite runs many times (reference + every planted bug), two at a time. */
const SUITE_CHECK_MS = 300_000;

/** Which planted bugs belong to which step: the areas its tests are meant to cover. */
const STEP_BUGS: Record<number, string[]> = {
  1: ['estimate', 'config-port'],
  2: ['status-filter', 'pagination', 'is-error', 'schema', 'error-code', 'mime-type', 'prompt-argument', 'no-notification'],
  3: ['stdout-log'],
};

function showRun(run: SuiteRun): string {
  if (run.problem) return run.problem;
  const failed = run.tests.filter((t) => t.state === 'failed').slice(0, 5);
  const lines = [
    ...run.fileErrors.map((e) => `${e.file} did not run: ${e.message}`),
    ...failed.map((t) => `${t.file} › ${t.name}: ${t.failure}`),
  ];
  return lines.map((l) => `\n    ${l}`).join('');
}

function testDir(step: StepContext): string {
  const tests = step.path('test');
  if (!existsSync(tests)) step.fail('the lesson has no test/ folder: your tests go in test/*.test.ts.');
  return tests;
}

/** The reference must pass first: a suite that fails everywhere "catches" every bug and proves nothing. */
function requireGreenReference(step: StepContext, run: SuiteRun): void {
  if (!run.passed) {
    step.fail(`your tests must pass against the reference implementation (a correct server) before they can catch bugs, but they did not:${showRun(run)}`);
  }
}

/** Runs the reference and this step's planted bugs (two runs at a time), then names the areas missed. */
async function expectCaught(step: StepContext, n: number): Promise<void> {
  const dir = testDir(step);
  const [reference, mine] = await Promise.all([referenceRun(dir), plantedRuns(dir, STEP_BUGS[n])]);
  requireGreenReference(step, reference);
  const missed = mine.filter((p) => !p.caught);
  step
    .expect(
      missed.map((p) => p.bug.area),
      `we planted ${mine.length} bug(s) in the areas this step tests, one at a time, in copies of a correct server; your tests must fail on each. ` +
        `They caught ${mine.length - missed.length} of ${mine.length}, and stayed green on a bug in: ${missed.map((p) => p.bug.area).join('; ')}. ` +
        'Write a test for that area whose data tells a right answer from a wrong one.',
    )
    .toEqual([]);
}

describe(stepTitle(meta, 1), () => {
  const step: StepContext = lesson.step(1);

  test('R1.1: the tests pass against the reference implementation, unit tests included, and every passing test asserts something', { timeout: SUITE_CHECK_MS }, async () => {
    const reference = await referenceRun(testDir(step));
    requireGreenReference(step, reference);
    const ran = (file: string) => reference.tests.filter((t) => t.file === file && t.state === 'passed');
    step.expect(ran('test/unit.test.ts').length, 'test/unit.test.ts needs at least one test that runs (skipped and todo tests do not count)').toBeGreaterThan(0);
    const silent = reference.tests.filter((t) => t.state === 'passed' && t.assertions === 0).map((t) => `${t.file} › ${t.name}`);
    step.expect(silent, 'these tests pass without a single expect(...): a test that asserts nothing cannot fail, so it proves nothing').toEqual([]);
  });

  test('R1.2: the unit tests catch the planted bugs in the pure logic', { timeout: SUITE_CHECK_MS }, async () => {
    await expectCaught(step, 1);
  });
});

describe(stepTitle(meta, 2), () => {
  const step: StepContext = lesson.step(2);

  test('R2.1, R2.2: the in-memory tests catch every planted protocol bug, and pass against a correct server with late notifications', { timeout: SUITE_CHECK_MS }, async () => {
    const slow = slowReferenceRun(testDir(step)); // queued beside the planted runs
    await expectCaught(step, 2);
    const slowReference = await slow;
    if (!slowReference.passed) {
      step.fail(
        'your tests failed against a correct server whose notifications and log messages arrive 300 ms late. A test that sleeps and then looks ' +
          `is only as good as its guess: wait for the notification by condition (vi.waitFor, or a promise resolved by the handler).${showRun(slowReference)}`,
      );
    }
  });
});

describe(stepTitle(meta, 3), () => {
  const step: StepContext = lesson.step(3);

  test('R3.1: the stdio tests pass against the reference and catch a log line on stdout', { timeout: SUITE_CHECK_MS }, async () => {
    const reference = await referenceRun(testDir(step));
    requireGreenReference(step, reference);
    const ran = reference.tests.filter((t) => t.file === 'test/stdio.test.ts' && t.state === 'passed');
    step.expect(ran.length, 'test/stdio.test.ts needs at least one test that runs (skipped and todo tests do not count)').toBeGreaterThan(0);
    await expectCaught(step, 3);
  });

  test('R3.2: npm run smoke runs the Inspector CLI against the server and lists its tools', { timeout: 60_000 }, async () => {
    const dir = step.path('.');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(npm, ['run', '--silent', 'smoke'], { cwd: dir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(ANSWER_TIMEOUT_MS * 4, 40_000));
      child.on('error', (e) => resolve({ code: null, output: e.message }));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve({ code: c, output });
      });
    });
    const tail = output.trim().split('\n').slice(-12).join('\n    ');
    step.expect(code, `\`npm run smoke\` in ${step.where.file.replace(/\/test\/stdio\.test\.ts$/, '')} should exit 0; it printed:\n    ${tail}`).toBe(0);
    for (const tool of ['create_task', 'list_tasks', 'search_tasks']) {
      step.expect(output, `\`npm run smoke\` should print the server's tools (tools/list), including ${tool}`).toContain(`"${tool}"`);
    }
  });
});
