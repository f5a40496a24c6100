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
