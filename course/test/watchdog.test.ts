import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeCheckout, runCli } from './sandbox.js';

// Short limits keep these tests quick: the watchdog's silence limit, the answer deadline (a
// stdio server stuck in the same loop never answers), and a small heap.
const FAST = { COURSE_WATCHDOG_MS: '1500', COURSE_ANSWER_TIMEOUT_MS: '1500' };
const SERVER = 'lessons/02-first-server/src/server.ts';

/** Lesson 02's solution with `edit` applied to its server.ts. */
function brokenLesson2(edit: (source: string) => string) {
  const checkout = makeCheckout({ '02-first-server': 'solutions' });
  const file = join(checkout.root, SERVER);
  const source = readFileSync(file, 'utf8');
  const broken = edit(source);
  expect(broken).not.toBe(source);
  writeFileSync(file, broken);
  return checkout;
}

/** The list_tasks handler of lesson 02's solution, replaced by `body`. */
const inListTasks = (body: string) => (source: string) => source.replace('async ({ project, status }) =>', `async ({ project, status }) => { ${body} },\n    async () =>`);

describe('issue 7 item 1: code that never returns is stopped from outside and reported on its step', () => {
  test('an endless loop at the top level of server.ts', async () => {
    const { root, stateDir } = brokenLesson2((s) => `${s}\nfor (;;) {}\n`);
    const started = performance.now();
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, ...FAST });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Lesson 02, step 1 \([^)]*server\.ts\): your code did not return within 1\.5 s — look for a loop that never ends/);
    expect(run.stdout).toMatch(/^0 passed, \d+ failed$/m);
    expect(performance.now() - started).toBeLessThan(45_000);
  });

  test('an endless loop inside a tool handler called in-process', async () => {
    const { root, stateDir } = brokenLesson2(inListTasks('for (;;) {}'));
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, ...FAST });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Step 3: .*\n(.*\n)*?.*Lesson 02, step 3 \([^)]*server\.ts\): your code did not return within 1\.5 s/);
    expect(run.stdout).not.toContain('Worker exited unexpectedly');
    expect(run.stdout).not.toContain('vitest-pool');
    // The checks that finished before the stuck one keep their verdicts.
    expect(run.stdout).toMatch(/✓ Step 1: .* (\d+)\/\1/);
    expect(run.stdout).toMatch(/✓ Step 2: .* (\d+)\/\1/);
  });

  test('a handler that runs out of memory is reported as such, on its step', async () => {
    const { root, stateDir } = brokenLesson2(inListTasks('const hoard: number[][] = []; for (;;) hoard.push(new Array(100_000).fill(1));'));
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, ...FAST, COURSE_WATCHDOG_MS: '20000', COURSE_MEMORY_LIMIT_MB: '128' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Lesson 02, step 3 \([^)]*server\.ts\): the code under test ran out of memory/);
    expect(run.stdout).not.toContain('Worker exited unexpectedly');
    expect(run.stdout).toMatch(/✓ Step 2: .* (\d+)\/\1/);
  });
});
