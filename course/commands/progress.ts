import type { LessonMeta } from '../../common/lesson-meta.js';
import { isDone, readProgress } from '../progress.js';
import { mark, paint, table } from '../ui.js';

/** `npm run progress`: every lesson, where the student stands, from the last check runs. */
export function progress(lessons: readonly LessonMeta[]): number {
  const state = readProgress();
  const rows = [['', '#', 'lesson', 'checks', 'hints seen', 'last checked'].map((h) => paint('bold', h))];
  for (const lesson of lessons) {
    const run = state.lessons[lesson.slug];
    const hints = Object.values(state.hints[lesson.slug] ?? {}).reduce((a, b) => a + b, 0);
    rows.push([
      run ? (isDone(run) ? mark.pass() : mark.fail()) : mark.skip(),
      String(lesson.number).padStart(2, '0'),
      lesson.title,
      run ? `${run.passed}/${run.total}` : 'not started',
      String(hints),
      run ? run.checkedAt.slice(0, 16).replace('T', ' ') : '',
    ]);
  }
  const done = lessons.filter((l) => isDone(state.lessons[l.slug])).length;
  console.log(`${table(rows)}\n\n${done} of ${lessons.length} lessons done.`);
  return 0;
}
