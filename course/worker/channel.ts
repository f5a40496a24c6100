/**
 * What a check worker tells the runner's watchdog, over a BroadcastChannel (which reaches every
 * thread of the process, so it works from vitest's worker threads without vitest's help).
 * Plain data only: both sides import this file, neither imports vitest through it.
 */
export const WATCHDOG_CHANNEL = 'mcp-course.watchdog';

/** Where a check belongs, set by the worker on vitest's `task.meta` and read back with `testCase.meta()`. */
export interface CheckMeta {
  /** The lesson folder, e.g. `02-first-server`. */
  lesson: string;
  /** The step whose `describe(stepTitle(…))` holds the check, or null outside any step. */
  step: number | null;
  /** The requirement ids the check's name starts with (`R2.1, R2.3: …`). */
  requirements: string[];
}

export type WorkerSignal =
  | { kind: 'beat'; thread: number }
  | { kind: 'start'; thread: number; id: string; name: string; file: string; meta: CheckMeta }
  | { kind: 'end'; thread: number; id: string; state: 'passed' | 'failed' | 'skipped'; errors: FinishedError[]; waiting: string[] };

/** A finished check's error, as the worker saw it (vitest reports it late; a stopped thread never). */
export interface FinishedError {
  name: string;
  message: string;
  diff?: string;
}
