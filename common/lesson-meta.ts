/**
 * Lesson metadata: one `checks/NN-slug/lesson.ts` per lesson, read by the checks (for step
 * names and files in failure messages) and by the course runner (titles, hints, `inspect`).
 */
export interface StepMeta {
  /** Short imperative title, as the lesson README's step N; the starter marks the place with `TODO N`. */
  title: string;
  /** The student's file this step is done in, relative to the lesson folder. */
  file: string;
  /** Progressive hints: a nudge first, nearly the answer last. */
  hints: string[];
}

export interface LessonMeta {
  number: number;
  /** Folder name under lessons/, solutions/ and checks/, e.g. `02-first-server`. */
  slug: string;
  title: string;
  /** The stdio entry point `npm run inspect N` starts, relative to the lesson folder. */
  entry?: string;
  steps: StepMeta[];
  /** Points for the checks of a requirement when grading (`{ 'R6.3': 3 }`); every other check is worth 1. */
  weights?: Record<string, number>;
}

export function defineLesson(meta: LessonMeta): LessonMeta {
  if (meta.steps.length === 0) throw new Error(`Lesson ${meta.slug} has no steps.`);
  return meta;
}

/** The vitest `describe` title for step N; the runner parses it back with STEP_TITLE. */
export function stepTitle(meta: LessonMeta, step: number): string {
  const s = meta.steps[step - 1];
  if (!s) throw new Error(`Lesson ${meta.slug} has no step ${step}.`);
  return `Step ${step}: ${s.title} (${s.file})`;
}

export const STEP_TITLE = /^Step (\d+): /;
