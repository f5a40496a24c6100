import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LessonMeta } from '../common/lesson-meta.js';
import { COURSE_ROOT } from '../common/paths.js';
import { BASE_FILE, git } from './git.js';

/** The starters to verify, gathered in a scratch checkout; `notes` say where each came from. */
export interface StarterTree {
  /** A checkout (lessons/ and taskboard/) to run the checks against. */
  root: string;
  notes: string[];
  dispose(): void;
}

function recordedBase(course: string, baseFile: string): string | undefined {
  try {
    const recorded = readFileSync(baseFile, 'utf8').trim();
    return git(['rev-parse', '--verify', '--quiet', `${recorded}^{commit}`], course).trim();
  } catch {
    return undefined;
  }
}

function unchangedSince(course: string, commit: string, paths: string[]): boolean {
  try {
    git(['diff', '--quiet', commit, '--', ...paths], course);
    return true;
  } catch {
    return false;
  }
}

/**
 * The starters as the course ships them, not as a student has edited them: `verify` must stay
 * green in a student's checkout. A lesson's starter comes from the course's commit recorded at
 * `npm install` when that commit has the lesson and the lesson's checks and solution are
 * unchanged since (a student never edits those; an author editing a lesson does, and then the
 * working tree's lessons/ is the starter being written). `worktree` takes every starter from
 * lessons/ as it is.
 */
export function shippedStarters(lessons: readonly LessonMeta[], { worktree = false, course = COURSE_ROOT, baseFile = BASE_FILE } = {}): StarterTree {
  const root = join(COURSE_ROOT, '.scratch', `verify-starters-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'lessons'), { recursive: true });
  // 'junction' makes the link work on Windows without privileges; elsewhere it is ignored.
  symlinkSync(join(COURSE_ROOT, 'taskboard'), join(root, 'taskboard'), 'junction');
  const notes: string[] = [];
  const base = worktree ? undefined : recordedBase(course, baseFile);
  if (!worktree && !base) notes.push('no recorded course commit (.course/base, written at `npm install`): the starters are read from lessons/ as they are, which may hold your work');
  let prefix = '';
  try {
    prefix = git(['rev-parse', '--show-prefix'], course).trim();
  } catch {
    // not a git checkout: everything comes from the working tree
  }
  for (const lesson of lessons) {
    const rel = `lessons/${lesson.slug}`;
    const into = join(root, rel);
    const files = base ? git(['ls-tree', '-r', '--name-only', '--full-name', base, '--', `${rel}/`], course).split('\n').filter(Boolean) : [];
    if (base && files.length > 0 && unchangedSince(course, base, [`checks/${lesson.slug}`, `solutions/${lesson.slug}`])) {
      for (const file of files) {
        const target = join(into, file.slice(prefix.length + rel.length + 1));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, git(['show', `${base}:${file}`], course));
      }
      if (!unchangedSince(course, base, [rel])) notes.push(`${rel}/ differs from the course's commit ${base.slice(0, 8)} (your work?): its starter was verified from that commit, your files were left alone`);
    } else {
      cpSync(join(course, rel), into, { recursive: true });
    }
  }
  return { root, notes, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
