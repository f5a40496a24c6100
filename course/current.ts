import type { LessonMeta } from '../common/lesson-meta.js';
import { findLesson } from './lessons.js';
import { isDone, readProgress } from './progress.js';

/** The lesson a command is about: the one named, or else the first not yet done. */
export function lessonFor(lessons: readonly LessonMeta[], arg: string | undefined): LessonMeta {
  if (arg !== undefined) return findLesson(lessons, arg);
  const progress = readProgress();
  return lessons.find((l) => !isDone(progress.lessons[l.slug])) ?? lessons[lessons.length - 1]!;
}
