import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { TestCase, TestModule } from 'vitest/node';
import { createVitest, type Vitest } from 'vitest/node';
import { STEP_TITLE, type LessonMeta } from '../common/lesson-meta.js';
import { CHECKS_DIR, COURSE_ROOT, displayPath } from '../common/paths.js';
import { lessonDir, resolveTarget, TARGET_ENV } from '../common/target.js';
import { TEACHING_ERROR_NAMES, wherePrefix } from '../common/teaching.js';
import { checkIds } from '../common/requirement-ids.js';
import type { CheckMeta } from './worker/channel.js';
import { memoryLimitMb } from './worker/pool.js';
import { Watchdog, type StoppedCheck } from './worker/watchdog.js';

export interface CheckError {
  name: string;
  message: string;
  /** vitest's expected/received diff of an assertion, when it has one (plain text). */
  diff?: string;
}

/** One check's outcome, in the terms the runner shows a student. */
export interface CheckOutcome {
  /** vitest's id of the check (stable for a file's content). */
  id: string;
  lesson: string;
  /** The check file, relative to the course root. */
  file: string;
  /** The step its describe block names, or null outside any step. */
  step: number | null;
  /** The requirement ids its name starts with (R2.1 …). */
  requirements: string[];
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** How long the check ran, when it ran (grading reports it). */
  durationMs?: number;
  errors: CheckError[];
}

export interface RunOutcome {
  checks: CheckOutcome[];
  /**
   * Errors outside any check: a check file that failed to load, an error thrown where no check
   * was running. `lesson` is the lesson it belongs to, when that is known; any crash fails a run.
   */
  crashes: Array<{ file: string; lesson?: string; name: string; message: string }>;
}

/** A failure the harness meant (it teaches); anything else is a crash of the check or harness. */
export function isTeaching(error: { name: string }): boolean {
  return TEACHING_ERROR_NAMES.has(error.name);
}

/** Every check passed and nothing crashed. */
export function isGreen(outcome: RunOutcome): boolean {
  return outcome.checks.length > 0 && outcome.checks.every((c) => c.state === 'passed') && outcome.crashes.length === 0;
}

/**
 * Runs lesson checks in this process through vitest's Node API. One instance can run many
 * times: kept warm, a re-run after a save skips vitest's start-up (the watch loop's speed).
 * A watchdog beside it ends a check thread that stops answering (course/worker/watchdog.ts).
 */
/**
 * The outcome with its messages passed through `shown`: a staged target's messages name the
 * student's real folder, not the scratch copy the checks saw (see common/target.ts, prepareTarget).
 */
export function withShownPaths(outcome: RunOutcome, shown: (text: string) => string): RunOutcome {
  const fix = <T extends { message: string }>(e: T): T => ({ ...e, message: shown(e.message) });
  return { ...outcome, checks: outcome.checks.map((c) => ({ ...c, errors: c.errors.map(fix) })), crashes: outcome.crashes.map(fix) };
}

export class CheckRunner {
  private namePattern: RegExp | undefined;

  private constructor(
    private readonly vitest: Vitest,
    private target: string,
    private readonly watchdog: Watchdog,
  ) {}

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
    return new CheckRunner(vitest, target, new Watchdog());
  }

  async run(lessons: readonly LessonMeta[]): Promise<RunOutcome> {
    const filters = lessons.map((l) => join(CHECKS_DIR, l.slug) + sep);
    const relevant = await this.vitest.getRelevantTestSpecifications(filters);
    const pattern = this.namePattern;
    const specifications = pattern ? relevant.map((s) => s.project.createSpecification(s.moduleId, { testNamePattern: pattern })) : relevant;
    const wanted = new Set(lessons.map((l) => l.slug));
    const where = whereOf(lessons, this.target);
    this.watchdog.reset(); // nothing from an earlier run is this run's
    const { testModules, unhandledErrors } = await this.vitest.runTestSpecifications(specifications, false);
    const outcome = collect(testModules, wanted);
    // A timed-out check's worker sent what it waited for on the watchdog's channel, which may
    // arrive a moment after vitest's own report: wait for it briefly (only when there is one).
    const timedOut = outcome.checks.filter((c) => c.errors.some((e) => e.message.startsWith('Test timed out')));
    await this.watchdog.verdicts(timedOut.map((c) => c.id), 500);
    for (const check of outcome.checks) {
      const waiting = this.watchdog.verdict(check.id)?.waiting ?? [];
      check.errors = check.errors.map((e) => explainTimeout(e, where(check.lesson, check.step, check.file), waiting));
    }
    const stopped = this.watchdog.takeStopped();
    for (const error of unhandledErrors) attribute(outcome, error, stopped.length, where);
    for (const stop of stopped) {
      const file = relative(COURSE_ROOT, stop.file);
      const check = outcome.checks.find((c) => c.id === stop.id);
      const message = stopMessage(stop, where(stop.meta.lesson, check?.step ?? stop.meta.step, file), this.watchdog.limitMs);
      if (check) {
        check.state = 'failed';
        check.errors = [{ name: 'CheckFailure', message }];
      } else {
        // Stopped outside any check (a check file's own set-up).
        outcome.crashes.push({ file, lesson: stop.meta.lesson, name: 'CheckFailure', message });
      }
    }
    // A stopped thread takes vitest's last reports with it: checks that finished keep the verdict
    // their worker sent; the ones after the stopped check never ran, and say so.
    for (const check of outcome.checks.filter((c) => c.state === 'pending')) {
      const verdict = this.watchdog.verdict(check.id);
      if (verdict) {
        check.state = verdict.state;
        check.errors = verdict.errors.map((e) => ({ ...e, message: plain(e.message), ...(e.diff ? { diff: plain(e.diff) } : {}) }));
        continue;
      }
      const stop = stopped.find((s) => relative(COURSE_ROOT, s.file) === check.file);
      check.state = 'failed';
      check.errors = [
        {
          name: 'CheckFailure',
          message: stop
            ? `${where(check.lesson, check.step, check.file)} not run: the checks of this file were stopped at "${stop.name}" (its message says why).`
            : `${where(check.lesson, check.step, check.file)} this check never finished; run the checks again.`,
        },
      ];
    }
    return outcome as RunOutcome;
  }

  /**
   * Points this warm runner's next runs at another target (vitest hands its config's `env` to
   * the check threads on every run), and its messages at that target's files.
   */
  retarget(target: string): void {
    this.vitest.config.env[TARGET_ENV] = target;
    this.target = target;
  }

  /**
   * Narrows the next runs to the checks whose names match (undefined: every check again). The
   * pattern travels on each run's check files, not in vitest's configuration: a configuration
   * that changes cannot reuse the warm check threads (course/worker/pool.ts).
   */
  onlyChecksNamed(pattern: RegExp | undefined): void {
    this.namePattern = pattern;
  }

  /** Drops a changed file from vitest's module cache, so the next run sees the new code. */
  invalidate(path: string): void {
    this.vitest.invalidateFile(path);
  }

  async close(): Promise<void> {
    this.watchdog.close();
    await this.vitest.close();
  }
}

function lessonOfFile(moduleId: string): string {
  return relative(CHECKS_DIR, moduleId).split(sep)[0] ?? '';
}

/** The check's place: from task.meta (course/worker/setup.ts); from its titles when it never ran. */
function metaOf(test: TestCase): CheckMeta {
  const meta = test.meta().course;
  if (meta) return meta;
  let step: number | null = null;
  for (let parent = test.parent; parent.type === 'suite' && step === null; parent = parent.parent) {
    const match = STEP_TITLE.exec(parent.name);
    if (match) step = Number(match[1]);
  }
  return { lesson: lessonOfFile(test.module.moduleId), step, requirements: checkIds(test.name) };
}

type Collected = { checks: Array<Omit<CheckOutcome, 'state'> & { state: CheckOutcome['state'] | 'pending' }>; crashes: RunOutcome['crashes'] };

function collect(testModules: readonly TestModule[], wanted: ReadonlySet<string>): Collected {
  const outcome: Collected = { checks: [], crashes: [] };
  for (const module of testModules) {
    const lesson = lessonOfFile(module.moduleId);
    if (!wanted.has(lesson)) continue;
    const file = relative(COURSE_ROOT, module.moduleId);
    for (const error of module.errors()) {
      outcome.crashes.push({ file, lesson, name: error.name ?? 'Error', message: plain(error.message ?? '') });
    }
    for (const test of module.children.allTests()) {
      const result = test.result();
      const meta = metaOf(test);
      outcome.checks.push({
        id: test.id,
        lesson,
        file,
        step: meta.step,
        requirements: meta.requirements,
        name: test.name,
        // 'pending': the check never finished (its thread was stopped); run() settles it.
        state: result.state,
        durationMs: test.diagnostic()?.duration,
        errors: (result.errors ?? []).map((e) => ({
          name: e.name ?? 'Error',
          message: plain(e.message ?? ''),
          ...(e.diff ? { diff: plain(e.diff) } : {}),
        })),
      });
    }
  }
  return outcome;
}

/** Messages are shown by the runner with its own colours: vitest's (and esbuild's) ANSI codes go. */
function plain(text: string): string {
  return stripVTControlCharacters(text);
}

/**
 * vitest's "Test timed out in 15000ms. If this is a long-running test…" speaks to the author of
 * a test; a student needs the step, the file and what the check was still waiting for.
 */
function explainTimeout(error: CheckError, prefix: string, waiting: readonly string[]): CheckError {
  const timedOut = /^Test timed out in (\d+)ms/.exec(error.message);
  if (!timedOut) return error;
  const seconds = Number(timedOut[1]) / 1000;
  return {
    name: 'CheckFailure',
    message:
      `${prefix} the check did not finish within ${seconds} s` +
      (waiting.length ? `: it was still waiting for ${waiting.join('; ')}.` : '.') +
      ' Look for a handler that never returns its answer (a promise that is never resolved, an await that never ends).',
  };
}

/** The student's message for a check the watchdog stopped. */
function stopMessage(stop: StoppedCheck, prefix: string, limitMs: number): string {
  if (stop.reason === 'out-of-memory') {
    return `${prefix} the code under test ran out of memory (a check may use ${memoryLimitMb()} MB) — look for a loop that keeps adding to an array, a string or a map.`;
  }
  const seconds = (limitMs / 1000).toFixed(limitMs % 1000 ? 1 : 0);
  return `${prefix} your code did not return within ${seconds} s — look for a loop that never ends (a \`while\` whose condition never changes, a \`for\` that never reaches its end).`;
}

/** "Lesson 02, step 3 (lessons/02-first-server/src/server.ts):" for a check's lesson and step. */
type WhereOf = (slug: string, step: number | null, checkFile: string) => string;

function whereOf(lessons: readonly LessonMeta[], target: string): WhereOf {
  return (slug, step, checkFile) => {
    const lesson = lessons.find((l) => l.slug === slug);
    const info = lesson && step ? lesson.steps[step - 1] : undefined;
    if (!lesson || !step || !info) return `${checkFile}:`;
    return wherePrefix({ lesson: lesson.number, step, file: displayPath(join(lessonDir(slug, resolveTarget(target)), info.file)) });
  };
}

/**
 * An error vitest caught outside any check's own code (a throw in a timer, an unhandled
 * rejection): it fails the check that was running when it happened, so it never counts as
 * green. vitest names that check on the error (VITEST_TEST_PATH, VITEST_TEST_NAME).
 */
function attribute(outcome: Collected, error: unknown, stoppedCount: number, where: WhereOf): void {
  const e = (error ?? {}) as { name?: string; message?: string; VITEST_TEST_PATH?: string; VITEST_TEST_NAME?: string; cause?: unknown };
  const message = plain(e.message ?? String(error));
  // The pool's own report of a thread the watchdog ended: the stopped check already says it all.
  if (stoppedCount > 0 && /\[vitest-pool\]: Worker .* emitted error/.test(message)) return;
  const file = e.VITEST_TEST_PATH ? relative(COURSE_ROOT, e.VITEST_TEST_PATH) : '(unhandled)';
  const check = outcome.checks.find((c) => c.file === file && c.name === e.VITEST_TEST_NAME);
  if (check) {
    const text = `${where(check.lesson, check.step, file)} an error was thrown outside the check's own code (in a timer, a callback or a promise nobody awaited) while it ran: ${e.name ?? 'Error'}: ${message}`;
    check.state = 'failed';
    check.errors.push({ name: 'CheckFailure', message: text });
  } else {
    outcome.crashes.push({ file, lesson: e.VITEST_TEST_PATH ? lessonOfFile(e.VITEST_TEST_PATH) : undefined, name: e.name ?? 'Error', message });
  }
}
