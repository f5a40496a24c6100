import { lessonFor } from '../current.js';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { parseCommandArgs } from '../args.js';
import { recordsProgress, saveRun } from '../progress.js';
import { closingLine, formatLessonRun, withTypeErrors } from '../report.js';
import { CheckRunner, withShownPaths } from '../run-checks.js';
import { lessonDir, prepareTarget, resolveTarget } from '../../common/target.js';
import { typecheckLesson } from '../typecheck.js';

export const CHECK_USAGE = `Usage: npm run check -- [N] [--all]

  N       the lesson (default: the first one not yet done)
  --all   spell out the failing checks of every step, not only of the first unfinished one (graders)`;

/** `npm run check [N]`: one lesson's checks against the student's work. Exit 0 when all pass. */
export async function check(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, CHECK_USAGE, { all: { type: 'boolean', default: false } });
  const lesson = lessonFor(lessons, positionals[0]);
  // A bad COURSE_TARGET is an exit-2 error before anything runs; a path target is staged.
  const prepared = prepareTarget([lesson.slug]);
  const target = prepared.target;
  const runner = await CheckRunner.create({ target: prepared.value }).catch((error: unknown) => {
    prepared.dispose();
    throw error;
  });
  try {
    // tsc in its own process, beside the checks: passing checks with type errors is not done.
    const types = typecheckLesson(lessonDir(lesson.slug, resolveTarget(prepared.value)));
    const outcome = withShownPaths(withTypeErrors(lesson, await runner.run([lesson]), (await types).errors), prepared.shown);
    console.log(formatLessonRun(lesson, outcome, { expandAll: values.all }));
    console.log(`\n${closingLine(outcome.checks)}`);
    // Progress is the student's own (never the solutions'); saved after the results are shown,
    // so a state folder that cannot be written never hides them.
    if (recordsProgress(target)) saveRun(lesson.slug, outcome);
    const green = outcome.checks.length > 0 && outcome.checks.every((c) => c.state === 'passed') && outcome.crashes.length === 0;
    return green ? 0 : 1;
  } finally {
    await runner.close();
    prepared.dispose();
  }
}
