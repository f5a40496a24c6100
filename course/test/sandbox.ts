import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';

/**
 * A throwaway checkout for the runner's tests, inside the course (so `node_modules` resolves):
 * chosen lessons copied from the starter or the solution tree, `taskboard/` linked, a private
 * state folder. Removed when the test ends.
 */
export function makeCheckout(lessons: Record<string, 'lessons' | 'solutions'>): { root: string; stateDir: string } {
  mkdirSync(join(COURSE_ROOT, '.scratch', 'runner-tests'), { recursive: true });
  const root = mkdtempSync(join(COURSE_ROOT, '.scratch', 'runner-tests', 'checkout-'));
  for (const [slug, tree] of Object.entries(lessons)) {
    cpSync(join(COURSE_ROOT, tree, slug), join(root, 'lessons', slug), { recursive: true });
  }
  symlinkSync(join(COURSE_ROOT, 'taskboard'), join(root, 'taskboard'));
  const stateDir = join(root, '.course');
  mkdirSync(stateDir);
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return { root, stateDir };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the course runner as a student would (`tsx course/cli.ts …`), with a deadline. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(COURSE_ROOT, 'course', 'main.mjs'), ...args], {
      cwd: COURSE_ROOT,
      env: { ...plainEnv(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`course ${args.join(' ')} did not finish within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment of a runner started by a test: no colour (and no FORCE_COLOR, which Node warns about next to NO_COLOR). */
export function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return env;
}
