/**
 * The names of the errors a check throws on purpose, with a message written for the student:
 * the harness's CheckFailure and vitest's own AssertionError. The runner prints these without a
 * stack trace, and `verify` counts any other error as a crash of the check or the harness.
 */
export const TEACHING_ERROR_NAMES: ReadonlySet<string> = new Set(['CheckFailure', 'AssertionError']);
