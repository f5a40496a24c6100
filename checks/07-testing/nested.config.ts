import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The configuration the checks run a learner's tests with (a separate vitest process per run,
 * `--root` the staged lesson folder): the lesson's test files, one worker per file, deadlines
 * that stop a hung test, and a setup file that counts each test's assertions.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./count-assertions.ts', import.meta.url))],
    testTimeout: 10_000,
    hookTimeout: 10_000,
    // Two runs share the machine's two cores (learner-tests.ts), so each run gets two workers.
    maxWorkers: 2,
    watch: false,
  },
});
