import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { plainEnv } from './sandbox.js';

test('issue 12: run by vitest itself (as Stryker and authors do), the checks end without a close timeout: parked threads go with the instance', async () => {
  const child = spawn(process.execPath, [join(COURSE_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'checks', 'checks/03-advanced-tools/annotations.test.ts'], {
    cwd: COURSE_ROOT,
    env: { ...plainEnv(), COURSE_TARGET: 'solutions', COURSE_ANSWER_TIMEOUT_MS: '20000' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(output).not.toContain('close timed out');
  expect(output).not.toContain('something prevents Vite server from exiting');
  expect(code, output.slice(-2000)).toBe(0);
});
