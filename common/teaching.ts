/**
 * The names of the errors a check throws on purpose, with a message written for the student:
 * the harness's CheckFailure and vitest's own AssertionError. The runner prints these without a
 * stack trace, and `verify` counts any other error as a crash of the check or the harness.
 */
export const TEACHING_ERROR_NAMES: ReadonlySet<string> = new Set(['CheckFailure', 'AssertionError']);

/** Where a teaching message is about: lesson number, step number, the student's file (display path). */
export interface Where {
  lesson: number;
  step: number;
  file: string;
}

/** "Lesson 02, step 3 (lessons/02-first-server/src/server.ts):", the start of every teaching message. */
export function wherePrefix(where: Where): string {
  return `Lesson ${String(where.lesson).padStart(2, '0')}, step ${where.step} (${where.file}):`;
}
