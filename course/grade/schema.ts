import { z } from 'zod';

/**
 * The shape of `grades.json`, versioned: a grading script can rely on it. Bump `version` on any
 * change that is not adding an optional field.
 *
 * One row per check and student: `student`, `lesson`, `step`, `check`, `points`, `status`,
 * `message`, `durationMs`, grouped by student and lesson, with totals at each level.
 */
export const GRADES_SCHEMA_NAME = 'mcp-course-grades';
export const GRADES_SCHEMA_VERSION = 1;

export const CheckGrade = z.object({
  /** The step the check belongs to (1-based), as in the lesson README. */
  step: z.number().int().nullable(),
  /** The check's name, as the student sees it (it starts with the requirement ids it proves). */
  check: z.string(),
  /** The check file, relative to the course root. */
  file: z.string(),
  /** The requirement ids the check proves (R2.1 …). */
  requirements: z.array(z.string()),
  points: z.number().nonnegative(),
  maxPoints: z.number().positive(),
  /** passed; failed (the check ran and failed); error (it never ran: the student's run crashed or was stopped). */
  status: z.enum(['passed', 'failed', 'error']),
  /** The teaching message of a failed check, or why it did not run; empty when passed. */
  message: z.string(),
  durationMs: z.number().nonnegative(),
});

export const LessonGrade = z.object({
  lesson: z.number().int(),
  slug: z.string(),
  title: z.string(),
  points: z.number().nonnegative(),
  maxPoints: z.number().nonnegative(),
  checks: z.array(CheckGrade),
});

export const StudentGrade = z.object({
  student: z.string(),
  /** The checkout that was graded. */
  path: z.string(),
  /** graded; timeout (stopped at its deadline, unfinished checks score 0); error (could not be graded). */
  status: z.enum(['graded', 'timeout', 'error']),
  error: z.string().optional(),
  durationMs: z.number().nonnegative(),
  points: z.number().nonnegative(),
  maxPoints: z.number().nonnegative(),
  lessons: z.array(LessonGrade),
});

export const Grades = z.object({
  schema: z.literal(GRADES_SCHEMA_NAME),
  version: z.literal(GRADES_SCHEMA_VERSION),
  gradedAt: z.string(),
  lessons: z.array(z.object({ lesson: z.number().int(), slug: z.string(), title: z.string(), maxPoints: z.number().nonnegative() })),
  students: z.array(StudentGrade),
});

export type CheckGrade = z.infer<typeof CheckGrade>;
export type LessonGrade = z.infer<typeof LessonGrade>;
export type StudentGrade = z.infer<typeof StudentGrade>;
export type Grades = z.infer<typeof Grades>;
