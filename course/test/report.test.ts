import { describe, expect, test } from 'vitest';
import meta from '../../checks/02-first-server/lesson.js';
import { formatLessonRun } from '../report.js';
import type { CheckOutcome, RunOutcome } from '../run-checks.js';

function check(step: number, state: CheckOutcome['state'], message = '', diff?: string): CheckOutcome {
  return {
    id: `${step}-${state}-${message}`,
    lesson: meta.slug,
    file: 'checks/02-first-server/server.test.ts',
    step,
    requirements: [],
    name: `a check of step ${step}`,
    state,
    errors: state === 'failed' ? [{ name: 'AssertionError', message, ...(diff ? { diff } : {}) }] : [],
  };
}

describe('issue 6: messages that show the difference, and every failing step for graders', () => {
  const outcome: RunOutcome = {
    checks: [check(1, 'passed'), check(2, 'failed', 'expected { todo: 2, …(2) } to deeply equal { todo: 2, …(2) }', '- Expected\n+ Received\n\n  {\n-   "done": 1,\n+   "done": 0,\n  }'), check(3, 'failed', 'step three is wrong too')],
    crashes: [],
  };

  test("an assertion's diff is shown under its message", () => {
    const text = formatLessonRun(meta, outcome);
    expect(text).toContain('-   "done": 1,');
    expect(text).toContain('+   "done": 0,');
  });

  test('by default only the first unfinished step is spelled out; --all spells out every one', () => {
    expect(formatLessonRun(meta, outcome)).not.toContain('step three is wrong too');
    expect(formatLessonRun(meta, outcome, { expandAll: true })).toContain('step three is wrong too');
  });

  test('an error outside any check keeps the lesson from being done', () => {
    const green: RunOutcome = { checks: [check(1, 'passed')], crashes: [{ file: '(unhandled)', name: 'Error', message: 'late' }] };
    expect(formatLessonRun(meta, green)).not.toContain('is done');
  });
});
