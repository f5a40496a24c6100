import { ANSWER_TIMEOUT_MS } from './connect.js';
import type { StepContext } from './step-context.js';

/**
 * Keeps everything a callback hands it (events, notifications…) and lets a check wait for an
 * item by condition, never by sleeping: `waitFor` resolves the moment a matching item arrives.
 * The deadline is only a guard, so a server that never sends fails with a message.
 */
export class Recorder<T> {
  readonly received: T[] = [];
  private waiters: Array<{ test: (item: T) => boolean; resolve: (item: T) => void }> = [];

  constructor(private readonly describe: (item: T) => string = (item) => JSON.stringify(item)) {}

  record(item: T): void {
    this.received.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** Resolves with the first item (already received or still to come) that matches. */
  async waitFor(step: StepContext, what: string, test: (item: T) => boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<T> {
    const seen = this.received.find(test);
    if (seen !== undefined) return seen;
    let timer: NodeJS.Timeout | undefined;
    let waiter: { test: (item: T) => boolean; resolve: (item: T) => void } | undefined;
    try {
      return await new Promise<T>((resolve, reject) => {
        waiter = { test, resolve };
        this.waiters.push(waiter);
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
    } catch {
      const got = this.received.map(this.describe);
      return step.fail(`expected ${what} within ${timeoutMs / 1000} s; received ${got.length ? got.join(', ') : 'nothing'}.`);
    } finally {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }
}
