import type { LessonMeta } from '../../common/lesson-meta.js';

/** `npm run mutate -- N` (placeholder until the Stryker wiring lands). */
export async function mutate(_lessons: readonly LessonMeta[], _args: string[]): Promise<number> {
  console.error('npm run mutate is not ready yet.');
  return 2;
}
