/**
 * The runner's limits, each settable by an environment variable, read and validated in one
 * place: the runner checks them once at start (a bad value is a one-line error, exit 2), and the
 * check workers, which inherit the environment, read the same values.
 */
export interface Limit {
  /** The environment variable. */
  readonly env: string;
  /** `switch`: 1 on, 0 off. */
  readonly unit: 'ms' | 'MB' | 'switch';
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

export const ANSWER_TIMEOUT: Limit = {
  env: 'COURSE_ANSWER_TIMEOUT_MS',
  unit: 'ms',
  fallback: 5_000,
  min: 100,
  max: 600_000,
  what: 'how long a server under test gets to answer one request',
};

export const WATCHDOG: Limit = {
  env: 'COURSE_WATCHDOG_MS',
  unit: 'ms',
  fallback: 10_000,
  min: 200,
  max: 600_000,
  what: 'how long code under test may run without returning before its check is stopped',
};

export const MEMORY_LIMIT: Limit = {
  env: 'COURSE_MEMORY_LIMIT_MB',
  unit: 'MB',
  fallback: 512,
  min: 64,
  max: 16_384,
  what: 'the heap a check (and each server it starts) may use',
};

export const CHECK_TIMEOUT: Limit = {
  env: 'COURSE_CHECK_TIMEOUT_MS',
  unit: 'ms',
  fallback: 15_000,
  min: 500,
  max: 600_000,
  what: 'how long one check may take in all (vitest\'s testTimeout)',
};

/** Speed-ups of issue 12 that can be turned off, to compare or to rule them out. */
export const WARM_THREADS: Limit = {
  env: 'COURSE_WARM_THREADS',
  unit: 'switch',
  fallback: 1,
  min: 0,
  max: 1,
  what: 'whether check threads outlive a run, for the next one (course/worker/pool.ts)',
};

export const SPARE_SERVERS: Limit = {
  env: 'COURSE_SPARE_SERVERS',
  unit: 'switch',
  fallback: 1,
  min: 0,
  max: 1,
  what: 'whether a lesson server starts from a spare process made ready ahead of need (checks/harness/server-process.ts)',
};

export const LIMITS: readonly Limit[] = [ANSWER_TIMEOUT, WATCHDOG, MEMORY_LIMIT, CHECK_TIMEOUT, WARM_THREADS, SPARE_SERVERS];

export class LimitError extends Error {
  override readonly name = 'LimitError';
}

/** The limit's value: its variable when set (a whole number within range), else the default. */
export function readLimit(limit: Limit, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[limit.env];
  if (raw === undefined || raw.trim() === '') return limit.fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < limit.min || value > limit.max) {
    const range = limit.unit === 'switch' ? `1 (on) or 0 (off)` : `a whole number of ${limit.unit} from ${limit.min} to ${limit.max}`;
    throw new LimitError(`${limit.env}=${raw} is not a valid setting: it is ${limit.what}, ${range} (default ${limit.fallback}).`);
  }
  return value;
}

/** readLimit for code that must not throw (a check worker): a bad value gives the default. */
export function limitOrDefault(limit: Limit, env: NodeJS.ProcessEnv = process.env): number {
  try {
    return readLimit(limit, env);
  } catch {
    return limit.fallback;
  }
}
