import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT, displayPath } from '../../common/paths.js';
import { UsageError } from '../errors.js';
import { listFiles } from '../files.js';
import { courseBase, git } from '../git.js';
import { findLesson, lessonPath } from '../lessons.js';
import { STATE_DIR } from '../progress.js';
import { paint } from '../ui.js';

/**
 * `npm run reset N`: puts a lesson's starter back, from the course's own commit (not the
 * student's), after copying what it replaces to .course/backups/.
 */
export function reset(lessons: readonly LessonMeta[], args: string[]): number {
  const lesson = findLesson(lessons, args[0]);
  const { backup, restored } = resetLesson(lesson);
  console.log(`Lesson ${lesson.number} is back to its starter (${restored} files).`);
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
  const rel = `lessons/${lesson.slug}`;
  let base: string;
  let files: string[];
  try {
    base = courseBase(root, join(stateDir, 'base')).commit;
    files = git(['ls-tree', '-r', '--name-only', base, '--', rel], root).split('\n').filter(Boolean);
  } catch (error) {
    throw new UsageError(`reset needs the course's git history to find the starter, and git said: ${(error as Error).message.split('\n')[0]}`);
  }
  if (files.length === 0) throw new UsageError(`The course commit ${base.slice(0, 8)} has no ${rel}/ to restore.`);

  // Read the whole starter before touching anything, so a failure leaves the lesson as it was.
  const starter = files.map((file) => ({ file, content: git(['show', `${base}:${file}`], root) }));

  let backup: string | undefined;
  if (listFiles(dir).length > 0) {
    backup = join(stateDir, 'backups', `${lesson.slug}-${now.toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(dirname(backup), { recursive: true });
    cpSync(dir, backup, { recursive: true });
  }
  rmSync(dir, { recursive: true, force: true });
  for (const { file, content } of starter) {
    const target = join(dir, file.slice(rel.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return { backup, restored: starter.length };
}
