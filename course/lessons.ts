import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LessonMeta } from '../common/lesson-meta.js';
import { CHECKS_DIR, COURSE_ROOT } from '../common/paths.js';
import { UsageError } from './errors.js';

/** Every lesson, from its `checks/NN-slug/lesson.ts`, in order. */
export async function loadLessons(): Promise<LessonMeta[]> {
  const slugs = readdirSync(CHECKS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name) && existsSync(join(CHECKS_DIR, entry.name, 'lesson.ts')))
    .map((entry) => entry.name)
    .sort();
  const lessons: LessonMeta[] = [];
  for (const slug of slugs) {
    const file = join(CHECKS_DIR, slug, 'lesson.ts');
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default: LessonMeta };
      lessons.push(mod.default);
    } catch (error) {
      throw new UsageError(`The lesson metadata ${relative(COURSE_ROOT, file)} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return lessons;
}

/** A lesson by number ("2", "02") or slug ("02-first-server"); anything else lists the lessons. */
export function findLesson(lessons: readonly LessonMeta[], arg: string | undefined): LessonMeta {
  if (arg === undefined || arg === '') throw new UsageError(`Which lesson? Give its number.\n\n${listLessons(lessons)}`);
  const found = /^\d+$/.test(arg) ? lessons.find((l) => l.number === Number(arg)) : lessons.find((l) => l.slug === arg);
  if (!found) throw new UsageError(`There is no lesson "${arg}". The lessons are:\n\n${listLessons(lessons)}`);
  return found;
}

export function listLessons(lessons: readonly LessonMeta[]): string {
  return lessons.map((l) => `  ${String(l.number).padStart(2)}  ${l.title}`).join('\n');
}

/** A path in a lesson's folder, in the course checkout (or in `root`, another checkout). */
export function lessonPath(tree: 'lessons' | 'solutions', lesson: LessonMeta, file = '', root = COURSE_ROOT): string {
  return join(root, tree, lesson.slug, file);
}
