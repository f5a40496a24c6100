import type { LessonMeta } from '../../common/lesson-meta.js';
import { lessonFor } from '../current.js';
import { readProgress, writeProgress } from '../progress.js';
import { paint } from '../ui.js';

/**
 * `npm run hint [N]`: the next hint for the first step the last check run found unfinished.
 * Hints come one at a time, a nudge first and nearly the answer last.
 */
export function hint(lessons: readonly LessonMeta[], args: string[]): number {
  const lesson = lessonFor(lessons, args[0]);
  console.log(nextHint(lesson));
  return 0;
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
