import { lessonFor } from '../current.js';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { parseCommandArgs } from '../args.js';
import { recordsProgress, saveRun } from '../progress.js';
import { closingLine, formatLessonRun, withTypeErrors } from '../report.js';
import { CheckRunner, withShownPaths, type RunOutcome } from '../run-checks.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { lessonDir, prepareTarget, resolveTarget } from '../../common/target.js';
import { typecheckLesson } from '../typecheck.js';
import { lessonRequirements, requirementCoverage } from '../requirements.js';

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
    console.log(`\n${coverageLine(lesson, outcome)}`);
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

/**
 * "requirements: 31 of 36 have a passing check (failing: R-AUTH-4, …)": the lesson's requirements
 * (its README's, or the capstone's SPEC.md, as the course defines them) against this run's checks.
 */
function coverageLine(lesson: LessonMeta, outcome: RunOutcome): string {
  const requirements = lessonRequirements(lesson, COURSE_ROOT, 'solutions');
  const { covered, failing } = requirementCoverage(requirements, outcome.checks);
  const ids = failing.map((r) => r.id);
  const shown = ids.length > 8 ? `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more` : ids.join(', ');
  return `requirements: ${covered.length} of ${requirements.length} have a passing check${ids.length ? ` (not yet: ${shown})` : ''}`;
}
