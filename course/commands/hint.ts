import type { LessonMeta } from '../../common/lesson-meta.js';
import { lessonFor } from '../current.js';
import { parseCommandArgs } from '../args.js';
import { isDone, readProgress, writeProgress } from '../progress.js';
import { paint } from '../ui.js';

/**
 * `npm run hint [N]`: the next hint for the first step the last check run found unfinished.
 * Hints come one at a time, a nudge first and nearly the answer last.
 */
export function hint(lessons: readonly LessonMeta[], args: string[]): number {
  const { positionals } = parseCommandArgs(args, 'Usage: npm run hint -- [N]\n\n  N   the lesson (default: the one you are working on)', {});
  const between = positionals[0] === undefined ? betweenLessons(lessons) : undefined;
  if (between) {
    console.log(between);
    return 0;
  }
  console.log(nextHint(lessonFor(lessons, positionals[0])));
  return 0;
}

/**
 * Right after a lesson is done, the next one has not been opened yet: a bare `npm run hint`
 * says so (and what comes next) instead of spending a hint of a lesson not yet read.
 */
function betweenLessons(lessons: readonly LessonMeta[]): string | undefined {
  const progress = readProgress();
  const next = lessons.find((l) => !isDone(progress.lessons[l.slug]));
  const previous = next ? lessons[lessons.indexOf(next) - 1] : lessons[lessons.length - 1];
  if (!previous || !isDone(progress.lessons[previous.slug])) return undefined;
  if (next && (progress.lessons[next.slug] || progress.hints[next.slug])) return undefined; // already started
  if (!next) return paint('green', 'Every lesson is done: no hint needed.');
  return (
    `${paint('green', `Lesson ${previous.number} is done: no hint needed.`)}\n` +
    `Next: lesson ${next.number}, ${next.title}. Read lessons/${next.slug}/README.md, then \`npm start\` (or \`npm run check -- ${next.number}\`).\n` +
    `Stuck on it later? \`npm run hint -- ${next.number}\` gives its first hint.`
  );
}

export function nextHint(lesson: LessonMeta): string {
  const progress = readProgress();
  const run = progress.lessons[lesson.slug];
  const unfinished = lesson.steps.findIndex((_, i) => {
    const step = run?.steps[String(i + 1)];
    return !step || step.passed < step.total;
  });
  if (run && unfinished === -1) return `Every step of lesson ${lesson.number} passes its checks: no hint needed. On to the next lesson!`;
  const n = (unfinished === -1 ? 0 : unfinished) + 1;
  const step = lesson.steps[n - 1]!;
  const seen = (progress.hints[lesson.slug] ??= {});
  const shown = Math.min((seen[String(n)] ?? 0) + 1, step.hints.length);
  seen[String(n)] = shown;
  writeProgress(progress);
  const more = shown < step.hints.length ? paint('gray', `\n(run it again for hint ${shown + 1} of ${step.hints.length})`) : paint('gray', '\n(that was the last hint; `npm run diff` shows the reference solution)');
  return `${paint('bold', `Lesson ${lesson.number}, step ${n}: ${step.title}`)} ${paint('gray', `(${step.file})`)}\nHint ${shown} of ${step.hints.length}: ${step.hints[shown - 1]}${more}`;
}
