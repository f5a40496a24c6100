import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonMeta } from '../common/lesson-meta.js';
import { COURSE_ROOT } from '../common/paths.js';
import { STATE_DIR } from './progress.js';

/** Where `npm install` wrote the commit the course was at (see course/record-base.mjs). */
export const BASE_FILE = join(STATE_DIR, 'base');

export function git(args: string[], cwd = COURSE_ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Why the course's own starter of a lesson cannot be found: said plainly, nothing is touched. */
export class NoStarterError extends Error {
  override readonly name = 'NoStarterError';
}

/** A lesson's starter as the course shipped it: a commit, and the lesson's files in it. */
export interface Starter {
  commit: string;
  /** Paths relative to the lesson folder. */
  files: string[];
  read(file: string): string;
}

/**
 * The course's own starter of `lesson`, from the commit recorded at `npm install` (so a
 * student's later commits to lessons/ never become "the starter"). The commit is only trusted
 * if it is a commit of this repository and its lesson files are a starter: every step's file
 * still holds its `TODO N` marker (a commit of the student's own work, recorded in a clone of
 * their repository, fails that). No fallback to HEAD: that is the student's work.
 */
export function courseStarter(lesson: LessonMeta, root = COURSE_ROOT, baseFile = BASE_FILE): Starter {
  let prefix: string;
  try {
    prefix = git(['rev-parse', '--show-prefix'], root).trim(); // the course may live in a subfolder of a repository
  } catch {
    throw new NoStarterError(`${root} is not inside a git repository, so the course's starter cannot be found. Download the course again, or copy lessons/${lesson.slug}/ from a fresh copy.`);
  }
  let recorded: string;
  try {
    recorded = readFileSync(baseFile, 'utf8').trim();
  } catch {
    throw new NoStarterError(
      `the course's own commit was not recorded (${baseFile} is missing; \`npm install\` writes it). Find the commit you started from with \`git log\`, then: git rev-parse COMMIT > ${baseFile}`,
    );
  }
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${recorded}^{commit}`], root).trim();
  } catch {
    throw new NoStarterError(`${baseFile} names "${recorded.slice(0, 40)}", which is not a commit of this repository. Find the commit you started from with \`git log\`, then: git rev-parse COMMIT > ${baseFile}`);
  }
  const dir = `${prefix}lessons/${lesson.slug}`;
  // ls-tree takes paths relative to the working folder; --full-name answers from the repository's top.
  const files = git(['ls-tree', '-r', '--name-only', '--full-name', commit, '--', `lessons/${lesson.slug}/`], root)
    .split('\n')
    .filter(Boolean)
    .map((file) => file.slice(dir.length + 1));
  if (files.length === 0) throw new NoStarterError(`the course's commit ${commit.slice(0, 8)} has no lessons/${lesson.slug}/ to restore.`);
  const read = (file: string) => git(['show', `${commit}:${dir}/${file}`], root);
  const unmarked = lesson.steps.map((step, i) => ({ step: i + 1, file: step.file })).filter(({ step, file }) => !files.includes(file) || !new RegExp(`TODO ${step}\\b`).test(read(file)));
  if (unmarked.length > 0) {
    throw new NoStarterError(
      `the commit recorded in ${baseFile} (${commit.slice(0, 8)}) does not hold lesson ${lesson.number}'s starter (no \`TODO ${unmarked[0]!.step}\` in ${unmarked[0]!.file}), so it is not the course's own commit. ` +
        `Find the commit you started from with \`git log\`, then: git rev-parse COMMIT > ${baseFile}`,
    );
  }
  return { commit, files, read };
}
