import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { describeError, failAt, wherePrefix, type Where } from './failure.js';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { displayPath, fileExists } from '../../common/paths.js';
import { lessonDir, resolveTarget, type Target } from '../../common/target.js';

/**
 * What a check needs to reach the student's code for one step: the file's path, its exports,
 * and failures that name the lesson, the step and the file.
 */
export class StepContext {
  readonly where: Where;

  constructor(
    readonly meta: LessonMeta,
    readonly step: number,
    readonly target: Target,
  ) {
    const info = meta.steps[step - 1];
    if (!info) throw new Error(`Lesson ${meta.slug} has no step ${step}.`);
    this.where = { lesson: meta.number, step, file: displayPath(this.path(info.file)) };
  }

  /** Absolute path of a file in the lesson folder under test. */
  path(file: string): string {
    return join(lessonDir(this.meta.slug, this.target), file);
  }

  /** vitest's expect, with a message that names lesson, step and file before what was expected. */
  expect<T>(value: T, message = '') {
    return expect(value, `${wherePrefix(this.where)}${message ? ` ${message}` : ''}`);
  }

  /** Fails the check with a message that names lesson, step and file. */
  fail(message: string): never {
    return failAt(this.where, message);
  }

  /** The value, or a teaching failure when it is missing (narrows the type, unlike `if (!x) fail()`). */
  require<T>(value: T | null | undefined, message: string): T {
    if (value === null || value === undefined) this.fail(message);
    return value;
  }

  /** Imports a file of the lesson; a missing file or one that fails to load becomes a teaching failure. */
  async load(file = this.meta.steps[this.step - 1]!.file): Promise<Record<string, unknown>> {
    const path = this.path(file);
    if (!fileExists(path)) {
      this.fail(`${displayPath(path)} is missing. Run \`npm run reset ${this.meta.number}\` to restore the starter.`);
    }
    try {
      return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      return this.fail(`${displayPath(path)} could not be loaded: ${describeError(error)}`);
    }
  }

  /** A function the lesson text tells the student to export. */
  async fn<F extends ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown)>(name: string, file?: string): Promise<F> {
    const mod = await this.load(file);
    const value = mod[name];
    if (typeof value !== 'function') {
      this.fail(
        value === undefined
          ? `expected the file to export a function named \`${name}\`, but it exports: ${Object.keys(mod).join(', ') || 'nothing'}.`
          : `expected \`${name}\` to be a function, but it is a ${typeof value}.`,
      );
    }
    return value as F;
  }

  /** Calls student code; a throw becomes a teaching failure quoting the error. */
  async run<T>(what: string, action: () => T | Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      return this.fail(`${what} threw ${describeError(error)}`);
    }
  }

  /** Loads `taskboard/` from the checkout under test, so objects and errors are the same classes the lesson uses. */
  async taskboard(): Promise<typeof import('../../taskboard/index.js')> {
    const path = join(this.target.root, 'taskboard', 'index.ts');
    try {
      return (await import(pathToFileURL(path).href)) as typeof import('../../taskboard/index.js');
    } catch (error) {
      return this.fail(`the shared Taskboard module ${displayPath(path)} could not be loaded: ${describeError(error)}`);
    }
  }
}

/** The entry point for a check file: `const lesson = useLesson(meta)`, then `lesson.step(2)`. */
export function useLesson(meta: LessonMeta, target: Target = resolveTarget()) {
  return {
    meta,
    target,
    step: (n: number) => new StepContext(meta, n, target),
  };
}
