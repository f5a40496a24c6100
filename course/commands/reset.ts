import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT, displayPath } from '../../common/paths.js';
import { UsageError } from '../errors.js';
import { listFiles } from '../files.js';
import { courseStarter, NoStarterError } from '../git.js';
import { parseCommandArgs } from '../args.js';
import { findLesson, lessonPath } from '../lessons.js';
import { forgetLesson, STATE_DIR } from '../progress.js';
import { paint } from '../ui.js';

/**
 * `npm run reset N`: puts a lesson's starter back, from the course's own commit (not the
 * student's), after copying what it replaces to .course/backups/.
 */
export function reset(lessons: readonly LessonMeta[], args: string[]): number {
  const { positionals } = parseCommandArgs(args, 'Usage: npm run reset -- N\n\n  N   the lesson whose starter comes back (your files are copied to the state folder first)', {});
  const lesson = findLesson(lessons, positionals[0]);
  const { backup, restored } = resetLesson(lesson);
  console.log(`Lesson ${lesson.number} is back to its starter (${restored} files); its progress and hints start over.`);
  if (backup) console.log(`Your previous files are in ${paint('bold', displayPath(backup))}`);
  return 0;
}

export interface ResetPlace {
  /** The checkout whose lesson is reset (the course's own by default). */
  root?: string;
  /** Where backups go and where the base commit was recorded. */
  stateDir?: string;
}

export function resetLesson(lesson: LessonMeta, { root = COURSE_ROOT, stateDir = STATE_DIR }: ResetPlace = {}, now = new Date()): { backup?: string; restored: number } {
  const dir = lessonPath('lessons', lesson, '', root);
  let starter;
  try {
    // Read the whole starter before touching anything, so a failure leaves the lesson as it was.
    const found = courseStarter(lesson, root, join(stateDir, 'base'));
    starter = found.files.map((file) => ({ file, content: found.read(file) }));
  } catch (error) {
    if (error instanceof NoStarterError) throw new UsageError(`Cannot reset lesson ${lesson.number}: ${error.message}`);
    throw new UsageError(`Cannot reset lesson ${lesson.number}: git said: ${(error as Error).message.split('\n')[0]}`);
  }

  let backup: string | undefined;
  if (listFiles(dir).length > 0) {
    backup = join(stateDir, 'backups', `${lesson.slug}-${now.toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(dirname(backup), { recursive: true });
    cpSync(dir, backup, { recursive: true });
  }
  rmSync(dir, { recursive: true, force: true });
  for (const { file, content } of starter) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  // The lesson starts over: `npm start` must not skip it as done, and its hints come from the first.
  forgetLesson(lesson.slug, stateDir);
  return { backup, restored: starter.length };
}
