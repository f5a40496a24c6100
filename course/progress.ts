import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COURSE_ROOT } from '../common/paths.js';
import type { CheckOutcome } from './run-checks.js';

/** Local, git-ignored state: what the last check run of each lesson found, and hints seen. */
export const STATE_DIR = process.env.COURSE_STATE_DIR ?? join(COURSE_ROOT, '.course');
const PROGRESS_FILE = join(STATE_DIR, 'progress.json');

export interface StepProgress {
  passed: number;
  total: number;
}

export interface LessonProgress {
  passed: number;
  total: number;
  steps: Record<string, StepProgress>;
  checkedAt: string;
}

export interface Progress {
  lessons: Record<string, LessonProgress>;
  /** hints[slug][step] = how many hints of that step have been shown. */
  hints: Record<string, Record<string, number>>;
}

export function readProgress(): Progress {
  try {
    const data = JSON.parse(readFileSync(PROGRESS_FILE, 'utf8')) as Partial<Progress>;
    return { lessons: data.lessons ?? {}, hints: data.hints ?? {} };
  } catch {
    // No file yet, or one damaged by hand: start afresh rather than refuse to run.
    return { lessons: {}, hints: {} };
  }
}

export function writeProgress(progress: Progress): void {
  mkdirSync(dirname(PROGRESS_FILE), { recursive: true });
  const temporary = `${PROGRESS_FILE}.tmp`;
  writeFileSync(temporary, JSON.stringify(progress, null, 2));
  renameSync(temporary, PROGRESS_FILE); // atomic: a crash mid-write never leaves half a file
}

/** Folds a lesson's check results into the progress file. */
export function recordRun(slug: string, checks: readonly CheckOutcome[]): LessonProgress {
  const progress = readProgress();
  const steps: Record<string, StepProgress> = {};
  for (const check of checks) {
    const key = String(check.step ?? 0);
    const step = (steps[key] ??= { passed: 0, total: 0 });
    step.total += 1;
    if (check.state === 'passed') step.passed += 1;
  }
  const entry: LessonProgress = {
    passed: checks.filter((c) => c.state === 'passed').length,
    total: checks.length,
    steps,
    checkedAt: new Date().toISOString(),
  };
  progress.lessons[slug] = entry;
  writeProgress(progress);
  return entry;
}

export function isDone(entry: LessonProgress | undefined): boolean {
  return entry !== undefined && entry.total > 0 && entry.passed === entry.total;
}
