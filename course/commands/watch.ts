import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { displayPath } from '../../common/paths.js';
import { lessonDir, resolveTarget } from '../../common/target.js';
import { lessonFor } from '../current.js';
import { isDone, readProgress, recordRun, recordsProgress, summarize, type LessonProgress } from '../progress.js';
import { formatLessonRun, withTypeErrors } from '../report.js';
import { typecheckLesson } from '../typecheck.js';
import { CheckRunner, isGreen, type RunOutcome } from '../run-checks.js';
import { mark, paint } from '../ui.js';
import { lessonDiff as diffOf } from './diff.js';
import { nextHint } from './hint.js';
import { resetLesson } from './reset.js';

const KEYS = '[r] re-run  [h] hint  [n]/[p] next/previous lesson  [l] list  [d] diff  [R] reset lesson  [q] quit';
const DEBOUNCE_MS = 40;

/** Everything that can happen in watch mode, handled one at a time, in order. */
type WatchEvent = { kind: 'run'; trigger: string } | { kind: 'key'; name: string; shift: boolean };

/**
 * `npm start`: the watch loop. One warm check runner for the whole session, so a re-run after a
 * save costs only the checks themselves; the lesson folder and taskboard/ are watched, and a
 * lesson that turns green hands over to the next unfinished one.
 *
 * Saves and key presses go through one queue: a key never changes the lesson while a run is in
 * flight, and a run's results are recorded for the lesson that ran. Only `q` and Ctrl-C act at
 * once (the watchdog ends any check that hangs, so quitting never waits for long).
 */
export async function watch(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const loop = new WatchLoop(lessons, lessonFor(lessons, args[0]));
  await loop.start();
  const code = await loop.finished;
  // Nothing of the session should keep the process alive; if something does, leave anyway.
  setTimeout(() => process.exit(code), 1_000).unref();
  return code;
}

/** Why a run happened, for the screen: a save names its file. */
function because(trigger: string): string {
  if (trigger === 'start') return 'on start';
  if (trigger === 'key') return 'on request';
  if (trigger.startsWith('lesson ')) return `on opening ${trigger}`;
  return `after you saved ${trigger}`;
}

interface LastRun {
  lesson: LessonMeta;
  outcome: RunOutcome;
  at: Date;
  trigger: string;
  tookMs: number;
}

class WatchLoop {
  private runner!: CheckRunner;
  private readonly watchers: FSWatcher[] = [];
  private lessonWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly queue: WatchEvent[] = [];
  private wake: (() => void) | undefined;
  private pendingTrigger: string | undefined;
  private savedAt = 0;
  private last: LastRun | undefined;
  private note = '';
  private mode: 'normal' | 'confirm-reset' | 'choose-lesson' = 'normal';
  private quitting = false;
  /** This session's results: what advancing uses when progress is not recorded (solutions, another checkout). */
  private readonly session = new Map<string, LessonProgress>();
  private readonly target = resolveTarget();
  private readonly recording = recordsProgress(this.target);
  private readonly done = Promise.withResolvers<number>();
  readonly finished = this.done.promise;

  constructor(
    private readonly lessons: readonly LessonMeta[],
    private lesson: LessonMeta,
  ) {}

  async start(): Promise<void> {
    this.runner = await CheckRunner.create({ target: this.target.name });
    this.listenToKeys();
    this.watch(join(this.target.root, 'taskboard'));
    this.focus(this.lesson);
    this.enqueue({ kind: 'run', trigger: 'start' });
    void this.consume();
  }

  /** Makes `lesson` the one whose checks run and whose folder is watched (taskboard/ stays watched). */
  private focus(lesson: LessonMeta): void {
    this.lesson = lesson;
    this.lessonWatcher?.close();
    this.lessonWatcher = this.watch(lessonDir(lesson.slug, this.target));
  }

  private watch(dir: string): FSWatcher | undefined {
    try {
      const watcher = watchFiles(dir, { recursive: true }, (_event, file) => {
        if (!file || this.quitting) return;
        const path = join(dir, file.toString());
        this.runner.invalidate(path);
        this.savedAt ||= performance.now();
        this.pendingTrigger = displayPath(path);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          // Many saves while one run waits in the queue make one run.
          if (!this.queue.some((e) => e.kind === 'run')) this.enqueue({ kind: 'run', trigger: this.pendingTrigger ?? relative(dir, path) });
        }, DEBOUNCE_MS);
      });
      this.watchers.push(watcher);
      return watcher;
    } catch (error) {
      this.note = paint('red', `Cannot watch ${dir}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private enqueue(event: WatchEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  /** The one consumer of the queue: runs and key presses never overlap. */
  private async consume(): Promise<void> {
    while (!this.quitting) {
      const event = this.queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        if (event.kind === 'run') await this.run(event.trigger);
        else await this.key(event.name, event.shift);
      } catch (error) {
        this.say(paint('red', `Something went wrong: ${(error as Error).message}`));
      }
    }
  }

  /** Runs the current lesson's checks; a lesson that turns green hands over to the next unfinished one. */
  private async run(trigger: string): Promise<void> {
    const lesson = this.lesson;
    const since = this.savedAt;
    this.savedAt = 0;
    this.pendingTrigger = undefined;
    this.status(`running lesson ${lesson.number}'s checks… (${because(trigger)})`);
    const started = performance.now();
    let outcome = await this.runner.run([lesson]);
    if (this.quitting) return;
    // Green checks: the types must check too before the lesson is done (only then: tsc costs a second).
    if (isGreen(outcome)) outcome = withTypeErrors(lesson, outcome, (await typecheckLesson(lessonDir(lesson.slug, this.target))).errors);
    const entry = summarize(outcome.checks.filter((c) => c.lesson === lesson.slug), outcome.crashes.filter((c) => c.lesson === undefined || c.lesson === lesson.slug).length);
    this.session.set(lesson.slug, entry);
    if (this.recording) recordRun(lesson.slug, outcome);
    this.last = { lesson, outcome, at: new Date(), trigger, tookMs: performance.now() - started };
    if (process.env.COURSE_BENCH && since) console.log(`[bench] rerun ${(performance.now() - since).toFixed(1)} ms`);
    this.draw();
    if (isDone(entry) && !this.queue.some((e) => e.kind === 'run')) this.advance();
  }

  private progressOf(slug: string): LessonProgress | undefined {
    return this.session.get(slug) ?? (this.recording ? readProgress().lessons[slug] : undefined);
  }

  /** Focuses the first lesson not yet done, and runs it. */
  private advance(): void {
    const next = this.lessons.find((l) => !isDone(this.progressOf(l.slug)));
    if (!next) {
      console.log(paint('green', '\nEvery lesson is done. Congratulations: you have built a production-grade MCP server!'));
      return;
    }
    if (next.slug === this.lesson.slug) return;
    console.log(paint('green', `\nOn to lesson ${next.number}: ${next.title}. Read lessons/${next.slug}/README.md`));
    this.open(next);
  }

  private open(lesson: LessonMeta): void {
    this.note = '';
    this.focus(lesson);
    this.enqueue({ kind: 'run', trigger: `lesson ${lesson.number}` });
  }

  private status(text: string): void {
    console.log(paint('gray', text));
  }

  private draw(): void {
    if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
    const done = this.lessons.filter((l) => isDone(this.progressOf(l.slug))).length;
    const last = this.last?.lesson.slug === this.lesson.slug ? this.last : undefined;
    const checks = last?.outcome.checks.filter((c) => c.lesson === this.lesson.slug) ?? [];
    const passing = checks.filter((c) => c.state === 'passed').length;
    console.log(
      paint('gray', `MCP server course · lessons done ${done}/${this.lessons.length} · checks passing ${passing}/${checks.length} · watching ${displayPath(lessonDir(this.lesson.slug, this.target))}/`),
    );
    console.log('');
    if (last) {
      console.log(formatLessonRun(this.lesson, last.outcome));
      console.log(paint('gray', `\n  checked at ${last.at.toTimeString().slice(0, 8)} ${because(last.trigger)} (${(last.tookMs / 1000).toFixed(1)} s)`));
    } else {
      console.log(paint('gray', `Lesson ${this.lesson.number} has not been checked yet in this session.`));
    }
    if (this.note) console.log(`\n${this.note}`);
    console.log(paint('gray', `\n${KEYS}`));
  }

  private say(text: string): void {
    this.note = text;
    this.draw();
  }

  /**
   * Keys come from the terminal (raw mode) or, without one, from whatever is piped in, one
   * character a key: a script (or the runner's own test) can drive watch mode.
   */
  private listenToKeys(): void {
    process.on('SIGINT', () => this.quit());
    emitKeypressEvents(process.stdin);
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on('keypress', (text: string | undefined, key: { name?: string; ctrl?: boolean; shift?: boolean } | undefined) => {
      const name = key?.name ?? text ?? '';
      if ((key?.ctrl && name === 'c') || name === 'q') return this.quit();
      this.enqueue({ kind: 'key', name, shift: Boolean(key?.shift) });
    });
    process.stdin.on('end', () => {
      // Piped keys ran out: watch mode goes on (Ctrl-C or SIGTERM still stop it).
    });
  }

  private async key(name: string, shift: boolean): Promise<void> {
    if (this.mode === 'confirm-reset') {
      this.mode = 'normal';
      if (name !== 'y') return this.say('Reset cancelled.');
      const { backup } = resetLesson(this.lesson, { root: this.target.root });
      this.session.delete(this.lesson.slug);
      this.say(`Lesson ${this.lesson.number} is back to its starter.${backup ? ` Your files: ${displayPath(backup)}` : ''}`);
      this.enqueue({ kind: 'run', trigger: 'key' });
      return;
    }
    if (this.mode === 'choose-lesson') {
      this.mode = 'normal';
      const chosen = this.lessons.find((l) => String(l.number) === name);
      if (!chosen) return this.say('No lesson chosen.');
      return this.open(chosen);
    }
    const index = this.lessons.indexOf(this.lesson);
    switch (name) {
      case 'r':
        if (shift) {
          this.mode = 'confirm-reset';
          return this.say(paint('yellow', `Reset lesson ${this.lesson.number} to its starter? Your files are backed up first. [y/N]`));
        }
        this.enqueue({ kind: 'run', trigger: 'key' });
        return;
      case 'R':
        return this.key('r', true);
      case 'h':
        return this.say(nextHint(this.lesson));
      case 'n':
      case 'p': {
        const other = this.lessons[index + (name === 'n' ? 1 : -1)];
        if (!other) return this.say('There is no lesson that way.');
        return this.open(other);
      }
      case 'l':
        this.mode = 'choose-lesson';
        return this.say(`${this.lessonList()}\n\nPress a lesson's number to open it (any other key: stay).`);
      case 'd':
        return this.say(diffOf(this.lesson, this.target.root) || 'Your code matches the reference solution.');
    }
  }

  /** Every lesson with its state: done, started (with its count) or not started; the open one marked. */
  private lessonList(): string {
    return this.lessons
      .map((l) => {
        const p = this.progressOf(l.slug);
        const state = !p ? `${mark.skip()} not started` : isDone(p) ? `${mark.pass()} done` : `${mark.fail()} ${p.passed}/${p.total} checks`;
        return `${l.slug === this.lesson.slug ? '›' : ' '} ${String(l.number).padStart(2)}  ${l.title.padEnd(36)} ${state}`;
      })
      .join('\n');
  }

  private quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    this.wake?.();
    for (const w of this.watchers) w.close();
    clearTimeout(this.timer);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    const closed = this.runner.close().catch(() => undefined);
    // A run in flight ends within the watchdog's limit; never wait longer than that to leave.
    const limit = new Promise((resolve) => setTimeout(resolve, 3_000).unref());
    void Promise.race([closed, limit]).then(() => this.done.resolve(0));
  }
}
