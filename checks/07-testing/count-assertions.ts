import { afterEach, expect } from 'vitest';

/**
 * Loaded into the learner's test run (nested.config.ts): records how many assertions (`expect`
 * calls) each test made, in the test's meta, which the JSON report carries back to the checks.
 * A test that asserts nothing proves nothing, however green it is.
 */
afterEach((context) => {
  context.task.meta.assertions = expect.getState().assertionCalls;
});

declare module 'vitest' {
  interface TaskMeta {
    assertions?: number;
  }
}
