import { onTestFinished } from 'vitest';

/**
 * Registers a clean-up that runs when the current check ends, passed or failed, so no process
 * or port outlives the check that opened it. Errors while closing are swallowed: by then the
 * check has its verdict, and a noisy close must not replace a teaching message.
 */
export function cleanupAfterCheck(close: () => unknown): void {
  onTestFinished(async () => {
    try {
      await close();
    } catch {
      // already closed, or the process is gone: nothing left to release
    }
  });
}
