import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COURSE_ROOT } from '../common/paths.js';

/** What tsc says about one lesson folder: its error lines (empty when the types check). */
export interface LessonTypes {
  errors: string[];
}

/**
 * Type-checks one lesson folder (and what it imports) with the course's strict tsconfig, in its
 * own process, so it can run beside the checks. A lesson whose checks pass but whose types do not
 * is not done: `npm run typecheck` and an editor would show the errors, so the runner says so too.
 */
export function typecheckLesson(dir: string): Promise<LessonTypes> {
  const scratch = join(COURSE_ROOT, '.scratch');
  mkdirSync(scratch, { recursive: true });
  const config = join(scratch, `tsconfig-lesson-${process.pid}-${Date.now()}.json`);
  const fromScratch = (path: string) => relative(scratch, path).split('\\').join('/');
  writeFileSync(config, JSON.stringify({ extends: fromScratch(join(COURSE_ROOT, 'tsconfig.json')), include: [`${fromScratch(dir)}/**/*.ts`], exclude: [] }));
  const tsc = join(COURSE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', config], { cwd: COURSE_ROOT });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const done = (errors: string[]) => {
      rmSync(config, { force: true });
      resolve({ errors });
    };
    child.on('error', () => done([]));
    child.on('exit', () => {
      // Only the lesson's own files: an error elsewhere (taskboard/, another lesson) is not the student's.
      const mine = relative(COURSE_ROOT, dir).split('\\').join('/');
      done(output.split('\n').filter((line) => /error TS\d+/.test(line) && line.replaceAll('\\', '/').includes(mine)));
    });
  });
}
