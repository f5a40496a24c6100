import { accessSync, constants, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { COURSE_ROOT } from '../common/paths.js';
import type { Target } from '../common/target.js';
import type { CheckOutcome, RunOutcome } from './run-checks.js';

/** Local, git-ignored state: what the last check run of each lesson found, hints seen, backups. */
export const STATE_DIR = resolve(process.env.COURSE_STATE_DIR || join(COURSE_ROOT, '.course'));
const PROGRESS_FILE = join(STATE_DIR, 'progress.json');

const count = z.number().int().nonnegative();
const StepProgressSchema = z.object({ passed: count, total: count });
const LessonProgressSchema = z.object({
  passed: count,
  total: count,
  steps: z.record(z.string(), StepProgressSchema),
  checkedAt: z.string(),
});
/** The progress file's shape; a file that does not fit is set aside and progress starts afresh. */
const ProgressSchema = z.object({
  lessons: z.record(z.string(), LessonProgressSchema).default({}),
  /** hints[slug][step] = how many hints of that step have been shown. */
  hints: z.record(z.string(), z.record(z.string(), count)).default({}),
});

export type StepProgress = z.infer<typeof StepProgressSchema>;
export type LessonProgress = z.infer<typeof LessonProgressSchema>;
export type Progress = z.infer<typeof ProgressSchema>;

/** The state folder cannot be used: a one-line message, exit 2. */
export class StateDirError extends Error {
  override readonly name = 'StateDirError';
}

/**
 * Makes sure the state folder exists and can be written, once, before a command relies on it.
 * Each missing level is made on its own: Node's `mkdir(…, { recursive: true })` never returns
 * for some paths (`/proc/x`), and an error here must be one clear line.
 */
export function validateStateDir(dir = STATE_DIR): void {
  const setting = process.env.COURSE_STATE_DIR ? `COURSE_STATE_DIR=${process.env.COURSE_STATE_DIR}` : `the state folder ${dir}`;
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    let stat;
    try {
      stat = statSync(existing);
    } catch {
      missing.unshift(existing);
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new StateDirError(`${setting}: ${existing} is a file, not a folder; point it at a folder the course may write to.`);
    break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      throw new StateDirError(`${setting}: cannot create ${level} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); point it at a folder the course may write to.`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
    // Write and rename a probe: progress is saved the same way (write, then atomic rename).
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    renameSync(probe, `${probe}.done`);
    unlinkSync(`${probe}.done`);
  } catch (error) {
    throw new StateDirError(`${setting}: ${dir} cannot be written to (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

let warned = false;

export function readProgress(file = PROGRESS_FILE): Progress {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { lessons: {}, hints: {} }; // no file yet
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = ProgressSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  // Damaged (by hand, or by an older runner): keep a copy, start afresh rather than refuse to run.
  const copy = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    copyFileSync(file, copy);
    writeProgress({ lessons: {}, hints: {} }, file);
  } catch {
    // a read-only state folder: the notice still says what happened
  }
  if (!warned) {
    warned = true;
    console.error(`Your progress file ${file} was not in the expected shape; it was copied to ${copy} and progress starts afresh.`);
  }
  return { lessons: {}, hints: {} };
}

export function writeProgress(progress: Progress, file = PROGRESS_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(progress, null, 2));
  renameSync(temporary, file); // atomic: a crash mid-write never leaves half a file
}

/**
 * A lesson's standing after a run: its checks by step; an error outside any check counts as
 * one more failing check (step "0"), so such a run is never "done".
 */
export function summarize(checks: readonly CheckOutcome[], crashes = 0): LessonProgress {
  const steps: Record<string, StepProgress> = {};
  for (const check of checks) {
    const step = (steps[String(check.step ?? 0)] ??= { passed: 0, total: 0 });
    step.total += 1;
    if (check.state === 'passed') step.passed += 1;
  }
  if (crashes > 0) {
    const outside = (steps['0'] ??= { passed: 0, total: 0 });
    outside.total += crashes;
  }
  return {
    passed: checks.filter((c) => c.state === 'passed').length,
    total: checks.length + crashes,
    steps,
    checkedAt: new Date().toISOString(),
  };
}

/** Folds one lesson's results of a run into the progress file (only that lesson's, whatever else ran). */
export function recordRun(slug: string, outcome: RunOutcome): LessonProgress {
  const checks = outcome.checks.filter((c) => c.lesson === slug);
  const crashes = outcome.crashes.filter((c) => c.lesson === undefined || c.lesson === slug).length;
  const entry = summarize(checks, crashes);
  const progress = readProgress();
  progress.lessons[slug] = entry;
  writeProgress(progress);
  return entry;
}

/**
 * recordRun for a command that has already shown its results: a failure to save is a warning on
 * stderr, never an error that hides what the checks found.
 */
export function saveRun(slug: string, outcome: RunOutcome): void {
  try {
    recordRun(slug, outcome);
  } catch (error) {
    console.error(`(Your progress could not be saved in ${STATE_DIR}: ${(error as Error).message.split('\n')[0]})`);
  }
}

/** Forgets a lesson's results and hints (after a reset, the lesson starts over). */
export function forgetLesson(slug: string, stateDir = STATE_DIR): void {
  const file = join(stateDir, 'progress.json');
  const progress = readProgress(file);
  if (!(slug in progress.lessons) && !(slug in progress.hints)) return;
  delete progress.lessons[slug];
  delete progress.hints[slug];
  writeProgress(progress, file);
}

/**
 * Progress is the student's own: it is recorded for the course's lessons/ tree, and for another
 * checkout only when a state folder is named for it (COURSE_STATE_DIR); never for solutions/.
 */
export function recordsProgress(target: Target): boolean {
  if (target.name === 'lessons') return true;
  if (target.name === 'solutions') return false;
  return Boolean(process.env.COURSE_STATE_DIR);
}

export function isDone(entry: LessonProgress | undefined): boolean {
  return entry !== undefined && entry.total > 0 && entry.passed === entry.total;
}
