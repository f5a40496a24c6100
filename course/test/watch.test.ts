import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { makeCheckout } from './sandbox.js';

test('watch mode re-runs the checks on save and moves on when the lesson is green', async () => {
  const { root, stateDir } = makeCheckout({ '01-architecture': 'solutions', '02-first-server': 'lessons' });
  const child = spawn(process.execPath, [join(COURSE_ROOT, 'course/main.mjs'), 'start', '2'], {
    cwd: COURSE_ROOT,
    env: { ...process.env, COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  let output = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (text: RegExp) => {
    while (!text.test(output)) {
      if (child.exitCode !== null) throw new Error(`watch mode exited early:\n${output}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  try {
    await until(/checks passing 0\/10/);
    for (const file of ['server.ts', 'main.ts']) {
      copyFileSync(join(COURSE_ROOT, 'solutions/02-first-server/src', file), join(root, 'lessons/02-first-server/src', file));
    }
    await until(/All 10 checks pass\. Lesson 2 is done!/);
    expect(output).toMatch(/checks passing 10\/10/);
    // Green: the loop hands over to the first lesson not yet done (here lesson 01, never checked).
    await until(/On to lesson 1:/);
  } finally {
    child.kill('SIGINT');
  }
});
