import { describe, test } from 'vitest';

// Step 1: unit tests of the pure parts: no server, no client, no process. Fast, and when one fails
// it points at one function. Each test builds what it needs, so tests can run in any order.
//
// TODO 1: replace the todos below with tests (import { expect } from 'vitest' and the functions
// from ../src/…). Choose inputs where a wrong rounding or a missing limit gives another answer.
// Every test needs at least one expect(...): the checks count them. Run them: `npm test`.

describe('estimateHours (src/estimate.ts)', () => {
  test.todo('hours by priority, plus one per started 40 characters of title');
});

describe('describeTask (src/server.ts) and the fragments (src/fragments.ts)', () => {
  test.todo('describeTask: one line with id, status, priority and title');
  test.todo('instructionsFragment numbers each step from 1');
});

describe('loadConfig (src/config.ts)', () => {
  test.todo('defaults when nothing is set; an empty variable counts as unset');
  test.todo('refuses a port outside 0-65535, an unknown log level, naming the variable');
});
