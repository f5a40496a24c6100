import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { COURSE_ROOT } from './paths.js';
import { stageCheckout, StagingError, type Staged } from './staging.js';

/**
 * The one place that decides which code the checks run against.
 *
 *   COURSE_TARGET=lessons     the student's work (default)
 *   COURSE_TARGET=solutions   the reference solutions
 *   COURSE_TARGET=/some/dir   another checkout of the course (a student's, when grading):
 *                             its lessons/ tree, with its own taskboard/ beside it. The runner
 *                             validates it and stages a copy inside the course first
 *                             (prepareTarget), so a plain folder with only lessons/ works.
 */
export interface Target {
  /** What was asked for, for messages. */
  readonly name: string;
  /** The checkout whose `taskboard/` the lessons import. */
  readonly root: string;
  /** The folder that holds the NN-slug lesson folders. */
  readonly tree: string;
}

export const TARGET_ENV = 'COURSE_TARGET';

export function resolveTarget(value = process.env[TARGET_ENV] ?? 'lessons'): Target {
  if (value === 'lessons' || value === 'solutions') {
    return { name: value, root: COURSE_ROOT, tree: join(COURSE_ROOT, value) };
  }
  const root = isAbsolute(value) ? value : resolve(process.cwd(), value);
  return { name: root, root, tree: join(root, 'lessons') };
}

export function lessonDir(slug: string, target: Target = resolveTarget()): string {
  return join(target.tree, slug);
}

/**
 * A COURSE_TARGET that cannot be checked (missing path, no `lessons/`, no such lesson). It is
 * the instructor's mistake, not a failing student: the runner shows the one line and exits 2.
 */
export class TargetError extends Error {
  override name = 'TargetError';
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Resolves COURSE_TARGET and checks that it can be run: the path exists, is a folder, holds
 * `lessons/`, and holds every lesson folder in `slugs`. Throws a one-line TargetError naming
 * the path and what is missing.
 */
export function validateTarget(slugs: readonly string[], value = process.env[TARGET_ENV] || 'lessons'): Target {
  const target = resolveTarget(value);
  const named = value === 'lessons' || value === 'solutions';
  const where = named ? `${value}/` : target.root;
  const prefix = `COURSE_TARGET=${value}: `;
  if (!named) {
    if (!existsSync(target.root)) throw new TargetError(`${prefix}${target.root} does not exist (use lessons, solutions, or the path of a folder that holds lessons/).`);
    if (!isDir(target.root)) throw new TargetError(`${prefix}${target.root} is not a folder.`);
    if (!isDir(target.tree)) throw new TargetError(`${prefix}${target.root} has no lessons/ folder, so it is not a course checkout.`);
  }
  const missing = slugs.filter((slug) => !isDir(join(target.tree, slug)));
  if (missing.length) {
    const what = missing.map((s) => (named ? `${value}/${s}` : `lessons/${s}`)).join(', ');
    throw new TargetError(`${prefix}${where} has no ${what} (an older checkout, or the lesson was not handed in).`);
  }
  return target;
}

/** A target made ready for a run: the value to give the checks, and how to undo the staging. */
export interface PreparedTarget {
  /** The target as asked for (its root is the student's real folder). */
  readonly target: Target;
  /** What the checks' COURSE_TARGET must be: `lessons`, `solutions`, or the staged copy's root. */
  readonly value: string;
  /** Puts the student's real path back where a message shows the scratch copy's. */
  shown(text: string): string;
  dispose(): void;
}

/**
 * Validates COURSE_TARGET and, for a path, stages the asked-for lessons and its `taskboard/`
 * into a scratch checkout inside the course (common/staging.ts), so a folder holding only
 * `lessons/` (no package.json, no node_modules) runs every check, stdio servers included.
 */
export function prepareTarget(slugs: readonly string[], value = process.env[TARGET_ENV] || 'lessons', label = 'target'): PreparedTarget {
  const target = validateTarget(slugs, value);
  if (value === 'lessons' || value === 'solutions') {
    return { target, value, shown: (text) => text, dispose: () => {} };
  }
  let staged: Staged;
  try {
    staged = stageCheckout(target.root, { slugs, label });
  } catch (error) {
    if (error instanceof StagingError) throw new TargetError(`COURSE_TARGET=${value}: ${error.message}`);
    throw error;
  }
  // Messages name files by their path relative to the course (displayPath) or absolute.
  const forms = [staged.root, relative(COURSE_ROOT, staged.root)];
  return {
    target,
    value: staged.root,
    shown: (text) => forms.reduce((t, form) => t.split(form).join(target.root), text),
    dispose: () => staged.dispose(),
  };
}
