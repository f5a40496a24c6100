import { lessonFor } from '../current.js';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { recordRun } from '../progress.js';
import { closingLine, formatLessonRun } from '../report.js';
import { CheckRunner } from '../run-checks.js';
import { resolveTarget } from '../../common/target.js';

/** `npm run check [N]`: one lesson's checks against the student's work. Exit 0 when all pass. */
export async function check(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const lesson = lessonFor(lessons, args[0]);
  const target = resolveTarget();
  const runner = await CheckRunner.create({ target: target.name });
  try {
    const outcome = await runner.run([lesson]);
    // Progress is the student's own: a run against the solutions or another checkout is not.
    if (target.name === 'lessons') recordRun(lesson.slug, outcome.checks);
    console.log(formatLessonRun(lesson, outcome));
    console.log(`\n${closingLine(outcome.checks)}`);
    const green = outcome.checks.length > 0 && outcome.checks.every((c) => c.state === 'passed') && outcome.crashes.length === 0;
    return green ? 0 : 1;
  } finally {
    await runner.close();
  }
}
