import { defineConfig } from 'vitest/config';
import { courseThreads } from './course/worker/pool.js';
import { CHECK_TIMEOUT, limitOrDefault } from './common/limits.js';

/**
 * Two projects: `checks` (the lessons' checks, run against the tree COURSE_TARGET names) and
 * `runner` (the course runner's own tests). Every check has a deadline so a hanging student
 * server fails one check instead of hanging the suite; the harness's own deadlines (5 s an
 * answer) are shorter, so a student normally sees the harness's message, not vitest's.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'checks',
          include: ['checks/**/*.test.ts'],
          // Check files share warm worker threads and their module cache: every check builds its
          // own server from the student's createServer(), so nothing a check relies on is shared,
          // and a lesson's run is 2x faster than with a fresh worker per file (npm run bench).
          // vitest's threads pool, plus what the runner's watchdog needs to stop a check stuck in a
          // synchronous loop, and a heap limit per thread (course/worker/pool.ts).
          pool: courseThreads,
          isolate: false,
          // Tags each check with its lesson, step and requirement ids (task.meta) and sends the
          // watchdog its heartbeat (course/worker/setup.ts).
          setupFiles: ['course/worker/setup.ts'],
          // Assertion messages show objects whole, not "{ todo: 2, …(2) }" (the runner also prints vitest's diff).
          chaiConfig: { truncateThreshold: 1000 },
          testTimeout: limitOrDefault(CHECK_TIMEOUT),
          hookTimeout: limitOrDefault(CHECK_TIMEOUT),
        },
      },
      {
        test: {
          name: 'runner',
          include: ['course/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
