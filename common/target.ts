import { isAbsolute, join, resolve } from 'node:path';
import { COURSE_ROOT } from './paths.js';

/**
 * The one place that decides which code the checks run against.
 *
 *   COURSE_TARGET=lessons     the student's work (default)
 *   COURSE_TARGET=solutions   the reference solutions
 *   COURSE_TARGET=/some/dir   another checkout of the course (a student's, when grading):
 *                             its lessons/ tree, with its own taskboard/ beside it
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
