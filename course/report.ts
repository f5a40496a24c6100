import type { LessonMeta } from '../common/lesson-meta.js';
import type { CheckError, CheckOutcome, RunOutcome } from './run-checks.js';
import { indent, mark, paint } from './ui.js';

export function lessonHeading(lesson: LessonMeta): string {
  return paint('bold', `Lesson ${String(lesson.number).padStart(2, '0')}: ${lesson.title}`);
}

/** The first step with a failing check, or undefined when every check passes. */
export function firstFailingStep(checks: readonly CheckOutcome[]): number | undefined {
  const steps = checks.filter((c) => c.state !== 'passed').map((c) => c.step ?? 0);
  return steps.length ? Math.min(...steps) : undefined;
}

/**
 * A lesson's results as a student reads them: every step with its count, and the failing checks
 * of the first unfinished step spelled out (the others would only be noise until it is done).
 */
export function formatLessonRun(lesson: LessonMeta, outcome: RunOutcome, options: { expandAll?: boolean } = {}): string {
  const checks = outcome.checks.filter((c) => c.lesson === lesson.slug);
  const focus = firstFailingStep(checks);
  const lines = [lessonHeading(lesson), ''];
  lesson.steps.forEach((step, index) => {
    const n = index + 1;
    const mine = checks.filter((c) => c.step === n);
    const passed = mine.filter((c) => c.state === 'passed').length;
    const ok = mine.length > 0 && passed === mine.length;
    lines.push(`  ${ok ? mark.pass() : mark.fail()} Step ${n}: ${step.title} ${paint('gray', `(${step.file})`)}  ${paint(ok ? 'green' : 'red', `${passed}/${mine.length}`)}`);
    if (ok || (!options.expandAll && n !== focus)) return;
    for (const check of mine.filter((c) => c.state !== 'passed')) {
      lines.push(`      ${mark.fail()} ${check.name}`);
      lines.push(...check.errors.slice(0, 2).map((e) => paint('yellow', indent(showError(e), '          '))));
      if (check.errors.length === 0) lines.push(paint('yellow', indent('failed without a message', '          ')));
    }
  });
  const types = crashesOf(lesson, outcome).filter((c) => c.name === TYPE_ERRORS);
  const crashes = crashesOf(lesson, outcome).filter((c) => c.name !== TYPE_ERRORS);
  if (crashes.length) {
    lines.push('', paint('red', '  These errors happened outside any check:'));
    for (const crash of crashes) lines.push(paint('red', indent(`${crash.file}: ${crash.name}: ${crash.message}`, '    ')));
  }
  const passed = checks.filter((c) => c.state === 'passed').length;
  lines.push('');
  if (checks.length > 0 && passed === checks.length && !crashes.length && types.length) {
    const errors = types[0]!.message.split('\n');
    lines.push(paint('yellow', `  All ${checks.length} checks pass, but tsc reports ${errors.length} type error${errors.length === 1 ? '' : 's'} in your lesson (\`npm run typecheck\` shows them too):`));
    lines.push(paint('yellow', indent(errors.slice(0, 10).join('\n'), '    ')));
    lines.push(`  Lesson ${lesson.number} is done when its types check as well.`);
  } else if (checks.length > 0 && passed === checks.length && !crashes.length) {
    lines.push(paint('green', `  All ${checks.length} checks pass. Lesson ${lesson.number} is done!`));
  } else {
    lines.push(`  ${passed} of ${checks.length} checks pass.` + (focus ? ` Next: step ${focus}. Stuck? \`npm run hint ${lesson.number}\`` : ''));
  }
  return lines.join('\n');
}

/** The name of the entry a run gets when tsc finds errors in the lesson (see withTypeErrors). */
export const TYPE_ERRORS = 'TypeScript';

/**
 * Adds tsc's errors in the lesson to a run, as one entry outside the checks: the run is then not
 * green, and progress does not count the lesson as done (a lesson with type errors is not).
 */
export function withTypeErrors(lesson: LessonMeta, outcome: RunOutcome, errors: readonly string[]): RunOutcome {
  if (errors.length === 0) return outcome;
  return { ...outcome, crashes: [...outcome.crashes, { file: `lessons/${lesson.slug}`, lesson: lesson.slug, name: TYPE_ERRORS, message: errors.join('\n') }] };
}

/** The errors outside any check that belong to a lesson (or to no lesson in particular). */
export function crashesOf(lesson: LessonMeta, outcome: RunOutcome): RunOutcome['crashes'] {
  return outcome.crashes.filter((c) => c.lesson === undefined || c.lesson === lesson.slug);
}

/** A failure as a student reads it: the message, and for an assertion the difference itself. */
function showError(error: CheckError): string {
  const message = error.message.replace(/ \/\/ Object\.is equality$/, '').trim();
  // vitest's diff spells out what an assertion's message abbreviates ("{ todo: 2, …(2) }").
  return error.diff ? `${message}\n\n${error.diff.trim()}` : message;
}

/** The closing line CI and graders read: "N passed, N failed". */
export function closingLine(checks: readonly CheckOutcome[]): string {
  const passed = checks.filter((c) => c.state === 'passed').length;
  const failed = checks.filter((c) => c.state === 'failed').length;
  return `${passed} passed, ${failed} failed`;
}
