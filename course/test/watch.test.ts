import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { makeCheckout, plainEnv } from './sandbox.js';

/** `npm start N` on a sandbox checkout, driven by keys written to its stdin (one character a key). */
function startWatch(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(COURSE_ROOT, 'course/main.mjs'), 'start', ...args], {
    cwd: COURSE_ROOT,
    env: { ...plainEnv(), COURSE_ANSWER_TIMEOUT_MS: '20000', ...env },
  });
  let output = '';
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    wake();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (wake(), resolve(code))));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  /** Waits for `text` to appear after character `from` of the output; returns where it ends. */
  const until = async (text: RegExp, from = 0, timeoutMs = 150_000): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = text.exec(output.slice(from));
      if (match) return from + match.index + match[0].length;
      if (child.exitCode !== null) throw new Error(`watch mode exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${text} in watch mode's output:\n${output.slice(from)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1_000);
      });
    }
  };
  return { child, until, exited, press: (keys: string) => child.stdin.write(keys), output: () => output };
}

test('watch mode re-runs the checks on save and moves on when the lesson is green', async () => {
  const { root, stateDir } = makeCheckout({ '01-architecture': 'solutions', '02-first-server': 'lessons' });
  const watch = startWatch(['2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir });
  let at = await watch.until(/checks passing 0\/\d+/);
  for (const file of ['server.ts', 'main.ts']) {
    copyFileSync(join(COURSE_ROOT, 'solutions/02-first-server/src', file), join(root, 'lessons/02-first-server/src', file));
  }
  // issue 7 item 16: a sign that the save was seen, then when and why the run happened
  at = await watch.until(/running lesson 2's checks… \(after you saved .*src\/(server|main)\.ts\)/, at);
  at = await watch.until(/All \d+ checks pass\. Lesson 2 is done!/, at);
  // The header of the screen that says so (the last one drawn before it) counts every check green.
  const screen = watch.output().slice(0, at);
  expect(screen.slice(screen.lastIndexOf('checks passing'))).toMatch(/^checks passing (\d+)\/\1/);
  await watch.until(/checked at \d\d:\d\d:\d\d after you saved .*src\/(server|main)\.ts/);
  // Green: the loop hands over to the first lesson not yet done (here lesson 01, never checked).
  await watch.until(/On to lesson 1:/, at);
  watch.press('q');
  expect(await watch.exited, watch.output().slice(-3000)).toBe(0);
});

test('issue 7 item 3: results are recorded for the lesson that ran, whatever keys were pressed meanwhile', async () => {
  const { root, stateDir } = makeCheckout({ '02-first-server': 'solutions', '03-advanced-tools': 'lessons' });
  // Lesson 01 done already: a green lesson 02 moves on to 03.
  const done = { passed: 1, total: 1, steps: { '1': { passed: 1, total: 1 } }, checkedAt: new Date().toISOString() };
  writeFileSync(join(stateDir, 'progress.json'), JSON.stringify({ lessons: { '01-architecture': done }, hints: {} }));
  const watch = startWatch(['2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir });
  let at = await watch.until(/All \d+ checks pass\. Lesson 2 is done!/);
  // Green: on to lesson 03. While its run is in flight, go back to lesson 02.
  at = await watch.until(/running lesson 3's checks/, at);
  watch.press('p');
  at = await watch.until(/watching .*03-advanced-tools[^]*\d+ of \d+ checks pass/, at);
  at = await watch.until(/running lesson 2's checks[^]*All \d+ checks pass\. Lesson 2 is done!/, at);
  watch.press('q');
  expect(await watch.exited).toBe(0);
  const progress = JSON.parse(readFileSync(join(stateDir, 'progress.json'), 'utf8')) as { lessons: Record<string, { passed: number; total: number }> };
  const lesson2 = progress.lessons['02-first-server']!;
  expect(lesson2.total).toBeGreaterThan(0);
  expect(lesson2.passed).toBe(lesson2.total);
  const lesson3 = progress.lessons['03-advanced-tools']!;
  expect(lesson3.total).not.toBe(lesson2.total);
  expect(lesson3.passed).toBeLessThan(lesson3.total); // the starter: not done, with its own count
});

test('issue 7 item 1: in watch mode a stuck check is stopped, the next save runs, and q quits', async () => {
  const { root, stateDir } = makeCheckout({ '02-first-server': 'solutions' });
  const server = join(root, 'lessons/02-first-server/src/server.ts');
  const good = readFileSync(server, 'utf8');
  writeFileSync(server, good.replace('async ({ project, status }) =>', 'async ({ project, status }) => { for (;;) {} },\n    async () =>'));
  const watch = startWatch(['2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, COURSE_WATCHDOG_MS: '1500', COURSE_ANSWER_TIMEOUT_MS: '10000' });
  const at = await watch.until(/Lesson 02, step 3 \([^)]*server\.ts\): your code did not return within 1\.5 s/);
  writeFileSync(server, good);
  await watch.until(/All \d+ checks pass\. Lesson 2 is done!/, at);
  watch.press('q');
  expect(await watch.exited, watch.output().slice(-3000)).toBe(0);
});

test('issue 7 item 3: watching the solutions records no progress', async () => {
  const { stateDir } = makeCheckout({});
  const watch = startWatch(['2'], { COURSE_TARGET: 'solutions', COURSE_STATE_DIR: stateDir });
  await watch.until(/All \d+ checks pass\. Lesson 2 is done!/);
  watch.press('q');
  expect(await watch.exited).toBe(0);
  expect(() => readFileSync(join(stateDir, 'progress.json'), 'utf8')).toThrow();
});

test('issue 7 item 16: l lists every lesson with its state and opens the one whose number is pressed; r re-runs', async () => {
  // The starter of lesson 02 only: red, so watch mode stays on it until a key moves it.
  const { root, stateDir } = makeCheckout({ '02-first-server': 'lessons' });
  const watch = startWatch(['2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir });
  let at = await watch.until(/0 of \d+ checks pass/);
  watch.press('l');
  at = await watch.until(/› +2 +Building your first server +✗ 0\/\d+ checks/, at);
  expect(watch.output().slice(at - 2000)).toMatch(/ +1 +MCP server architecture +○ not started/);
  watch.press('1');
  at = await watch.until(/running lesson 1's checks… \(on opening lesson 1\)/, at);
  at = await watch.until(/checked at \d\d:\d\d:\d\d on opening lesson 1/, at);
  watch.press('r');
  at = await watch.until(/running lesson 1's checks… \(on request\)/, at);
  await watch.until(/checked at \d\d:\d\d:\d\d on request/, at);
  watch.press('q');
  expect(await watch.exited).toBe(0);
});

test('issue 12: a warm re-run evaluates the learner code afresh (no module state carried over), sees a changed module-level value, and a stuck run is still stopped', async () => {
  // Lesson 03 runs in-process: its check threads outlive a run (course/worker/pool.ts). Its server
  // here logs each evaluation of its module, and takes one value from module level.
  const { root, stateDir } = makeCheckout({ '03-advanced-tools': 'solutions' });
  const server = join(root, 'lessons/03-advanced-tools/src/server.ts');
  const loads = join(root, 'module-loads.log');
  const good = readFileSync(server, 'utf8');
  const withModuleValues = (destructive: boolean, spin: boolean) =>
    `import { appendFileSync as logLoad } from 'node:fs';\nlogLoad(${JSON.stringify(loads)}, 'loaded\\n');\nconst DESTRUCTIVE = ${destructive};\nconst SPIN = ${spin};\n` +
    good
      .replace('destructiveHint: true', 'destructiveHint: DESTRUCTIVE')
      .replace('export function createServer(options: ServerOptions = {}): McpServer {', '$&\n  if (SPIN) for (;;) {}');
  expect(withModuleValues(true, false)).toContain('destructiveHint: DESTRUCTIVE');
  // One check short of green (a wrong annotation), so watch mode stays on lesson 03.
  writeFileSync(server, withModuleValues(false, false));
  const watch = startWatch(['3'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, COURSE_WATCHDOG_MS: '3000' });
  let at = await watch.until(/checks passing (\d+)\/(?!\1)\d+/);
  // Saves of a file no module imports: a thread that kept its modules would not evaluate
  // server.ts again (a changed module, vitest re-sends anyway).
  const saves = 3;
  for (let i = 0; i < saves; i++) {
    appendFileSync(join(root, 'lessons/03-advanced-tools/README.md'), `\n<!-- save ${i} -->\n`);
    at = await watch.until(/checked at \d\d:\d\d:\d\d after you saved/, at);
  }
  // Every run evaluated server.ts again (threads that kept their modules would have loaded it
  // once each, two at most).
  const evaluations = readFileSync(loads, 'utf8').split('\n').filter(Boolean).length;
  expect(evaluations).toBeGreaterThanOrEqual(saves + 1);
  // A loop that never ends, in a warm thread: the watchdog still stops it.
  writeFileSync(server, withModuleValues(false, true));
  at = await watch.until(/Lesson 03, step \d \([^)]*\): your code did not return within 3 s/, at);
  // The module-level value changed: the run sees the new one, and the lesson is green.
  writeFileSync(server, withModuleValues(true, false));
  await watch.until(/All \d+ checks pass\. Lesson 3 is done!/, at);
  watch.press('q');
  expect(await watch.exited, watch.output().slice(-3000)).toBe(0);
});
