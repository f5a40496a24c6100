import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { TestModule } from 'vitest/node';
import { createVitest, type Vitest } from 'vitest/node';
import { TEACHING_ERROR_NAMES } from '../common/teaching.js';
import { STEP_TITLE, type LessonMeta } from '../common/lesson-meta.js';
import { COURSE_ROOT } from '../common/paths.js';
import { TARGET_ENV } from '../common/target.js';

/** One check's outcome, in the terms the runner shows a student. */
export interface CheckOutcome {
  lesson: string;
  /** The check file, relative to the course root. */
  file: string;
  /** The step its describe block names, or null outside any step. */
  step: number | null;
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  errors: Array<{ name: string; message: string }>;
}

export interface RunOutcome {
  checks: CheckOutcome[];
  /** Errors outside any check: a check file that failed to load, an unhandled rejection. */
  crashes: Array<{ file: string; name: string; message: string }>;
}

/** A failure the harness meant (it teaches); anything else is a crash of the check or harness. */
export function isTeaching(error: { name: string }): boolean {
  return TEACHING_ERROR_NAMES.has(error.name);
}

/**
 * Runs lesson checks in this process through vitest's Node API. One instance can run many
 * times: kept warm, a re-run after a save skips vitest's start-up (the watch loop's speed).
 */
export class CheckRunner {
  private constructor(private readonly vitest: Vitest) {}

  /**
   * `target` is what COURSE_TARGET means to the harness: lessons, solutions or a checkout path.
   * The watch loop keeps one runner for the whole session and drops changed files from its
   * module cache (`invalidate`); vitest's own watcher stays off, so a save triggers one run.
   */
  static async create({ target }: { target: string }): Promise<CheckRunner> {
    const vitest = await createVitest(
      'test',
      {
        root: COURSE_ROOT,
        config: join(COURSE_ROOT, 'vitest.config.ts'),
        project: ['checks'],
        watch: false,
        reporters: [{}],
        // Both cores: files run side by side (vitest's default leaves one core idle).
        maxWorkers: availableParallelism(),
        // The harness in the workers reads the target from here (common/target.ts).
        env: { [TARGET_ENV]: target },
      },
      { logLevel: 'silent' },
    );
    return new CheckRunner(vitest);
  }

  async run(lessons: readonly LessonMeta[]): Promise<RunOutcome> {
    const filters = lessons.map((l) => join(COURSE_ROOT, 'checks', l.slug) + '/');
    const specifications = await this.vitest.getRelevantTestSpecifications(filters);
    const { testModules, unhandledErrors } = await this.vitest.runTestSpecifications(specifications, false);
    const outcome = collect(testModules);
    for (const error of unhandledErrors) {
      const e = error as { name?: string; message?: string };
      outcome.crashes.push({ file: '(unhandled)', name: e.name ?? 'Error', message: e.message ?? String(error) });
    }
    return outcome;
  }

  /** Drops a changed file from vitest's module cache, so the next run sees the new code. */
  invalidate(path: string): void {
    this.vitest.invalidateFile(path);
  }

  async close(): Promise<void> {
    await this.vitest.close();
  }
}

function collect(testModules: readonly TestModule[]): RunOutcome {
  const outcome: RunOutcome = { checks: [], crashes: [] };
  for (const module of testModules) {
    const file = relative(COURSE_ROOT, module.moduleId);
    const lesson = file.split('/')[1] ?? '';
    for (const error of module.errors()) {
      outcome.crashes.push({ file, name: error.name ?? 'Error', message: error.message ?? '' });
    }
    for (const test of module.children.allTests()) {
      const result = test.result();
      const suite = test.parent.type === 'suite' ? test.parent.name : '';
      const step = STEP_TITLE.exec(suite);
      outcome.checks.push({
        lesson,
        file,
        step: step ? Number(step[1]) : null,
        name: test.name,
        state: result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped',
        errors: (result.errors ?? []).map((e) => ({ name: e.name ?? 'Error', message: e.message ?? '' })),
      });
    }
  }
  return outcome;
}
