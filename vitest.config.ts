import { defineConfig } from 'vitest/config';

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
          pool: 'threads',
          isolate: false,
          testTimeout: 15_000,
          hookTimeout: 15_000,
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
