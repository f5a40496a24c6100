/**
 * Ends a process started with `detached: true` together with everything it started (its process
 * group), at once. For runs that must leave nothing behind when they overrun or their owner exits:
 * a graded student's check run, a learner's test suite. Safe to call on a group already gone.
 */
export function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
