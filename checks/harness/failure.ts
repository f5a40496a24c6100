import { wherePrefix, type Where } from '../../common/teaching.js';

/**
 * A check that fails on purpose, with a message written for the student. The course runner
 * prints its message without a stack trace, and `verify` treats it (and vitest's own
 * AssertionError) as a teaching failure, and anything else as a crash of the harness.
 */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

// One spelling of the teaching-message prefix, shared with the runner (its watchdog messages).
export { wherePrefix, type Where } from '../../common/teaching.js';

export function failAt(where: Where, message: string): never {
  throw new CheckFailure(`${wherePrefix(where)} ${message}`);
}

export function pad(lesson: number): string {
  return String(lesson).padStart(2, '0');
}

/** The first line of an unknown thrown value, for quoting in a message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Rejects with `onTimeout()` when `promise` has not settled after `ms`; never leaves a timer behind. */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the running check is waiting for (a request's answer, a line on stdout): when vitest's own
 * per-check limit ends a check, the runner's worker set-up names these in the message instead of
 * vitest's "Test timed out". A global, because the worker set-up (course/worker/setup.ts) reads it.
 */
export function pendingWaits(): Set<string> {
  const global = globalThis as { __coursePendingWaits?: Set<string> };
  return (global.__coursePendingWaits ??= new Set());
}

/** `promise`, registered as "waiting for `what`" until it settles. */
export async function waitingFor<T>(what: string, promise: Promise<T>): Promise<T> {
  const waits = pendingWaits();
  const entry = `${what} (since ${new Date().toISOString().slice(11, 19)})`;
  waits.add(entry);
  try {
    return await promise;
  } finally {
    waits.delete(entry);
  }
}
