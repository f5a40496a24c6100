import { defineConfig } from 'vitest/config';

// `npm test` in this folder runs your tests (test/**/*.test.ts). The course's checks run the same
// files with their own configuration, against the reference server and against broken copies of it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
  },
});
