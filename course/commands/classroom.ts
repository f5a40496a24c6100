import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT, displayPath } from '../../common/paths.js';
import { classroomWorkflow } from '../grade/classroom.js';
import { runStudent } from '../grade/run-student.js';

export const CLASSROOM_WORKFLOW = join(COURSE_ROOT, '.github', 'workflows', 'classroom.yml');

/**
 * `npm run classroom`: writes the GitHub Classroom autograding workflow from the lessons as they
 * are (one test per step, worth its checks), so the workflow never drifts from the checks.
 */
export async function classroom(lessons: readonly LessonMeta[]): Promise<number> {
  const catalogue = await runStudent('solutions', lessons.map((l) => l.slug), 120_000 * lessons.length);
  if (!catalogue.outcome) throw new Error(`The checks could not run on the reference solutions: ${catalogue.error}`);
  mkdirSync(dirname(CLASSROOM_WORKFLOW), { recursive: true });
  writeFileSync(CLASSROOM_WORKFLOW, classroomWorkflow(lessons, catalogue.outcome));
  console.log(`Wrote ${displayPath(CLASSROOM_WORKFLOW)}: ${lessons.reduce((n, l) => n + l.steps.length, 0)} autograding tests.`);
  return 0;
}
