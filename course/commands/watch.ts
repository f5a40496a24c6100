import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { lessonDir, resolveTarget, validateTarget } from '../../common/target.js';
import { lessonFor } from '../current.js';
import { listLessons } from '../lessons.js';
import { lessonDiff as diffOf } from './diff.js';
import { isDone, readProgress, recordRun } from '../progress.js';
import { formatLessonRun } from '../report.js';
import { CheckRunner, type RunOutcome } from '../run-checks.js';
import { paint } from '../ui.js';
import { nextHint } from './hint.js';
import { resetLesson } from './reset.js';

const KEYS = '[h] hint  [n] next lesson  [p] previous  [l] list  [d] diff  [r] reset  [q] quit';
const DEBOUNCE_MS = 40;

/**
 * `npm start`: the watch loop. One warm check runner for the whole session, so a re-run after a
 * save costs only the checks themselves; the lesson folder and taskboard/ are watched, and a
 * lesson that turns green hands over to the next unfinished one.
 */
export async function watch(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const first = lessonFor(lessons, args[0]);
  validateTarget([first.slug]); // a bad COURSE_TARGET is an exit-2 error, not a red lesson
  const loop = new WatchLoop(lessons, first);
  await loop.start();
  return await loop.finished;
}

class WatchLoop {
  private runner!: CheckRunner;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private savedAt = 0;
  private last: RunOutcome | undefined;
  private note = '';
  private confirmingReset = false;
  private readonly target = resolveTarget();
  private resolveFinished!: (code: number) => void;
  readonly finished = new Promise<number>((resolve) => (this.resolveFinished = resolve));

  constructor(
    private readonly lessons: readonly LessonMeta[],
    private lesson: LessonMeta,
  ) {}

  async start(): Promise<void> {
    this.runner = await CheckRunner.create({ target: this.target.name });
    this.listenToKeys();
    this.watch(join(this.target.root, 'taskboard'));
    this.focus(this.lesson);
    await this.rerun();
  }

  /** Makes `lesson` the one whose checks run and whose folder is watched (taskboard/ stays watched). */
  private focus(lesson: LessonMeta): void {
    this.lesson = lesson;
    for (const w of this.watchers.splice(1)) w.close();
    this.watch(lessonDir(lesson.slug, this.target));
  }

  private watch(dir: string): void {
    try {
      const watcher = watchFiles(dir, { recursive: true }, (_event, file) => {
        if (!file) return;
        this.runner.invalidate(join(dir, file.toString()));
        this.savedAt ||= performance.now();
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.rerun(), DEBOUNCE_MS);
      });
      this.watchers.push(watcher);
    } catch (error) {
      this.note = paint('red', `Cannot watch ${dir}: ${(error as Error).message}`);
    }
  }

  /**
   * Runs the current lesson's checks; a save during a run queues exactly one more run, and a
   * lesson that turns green hands over to the next unfinished one, in the same loop.
   */
  private async rerun(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const since = this.savedAt;
        this.savedAt = 0;
        this.last = await this.runner.run([this.lesson]);
        const entry = recordRun(this.lesson.slug, this.last.checks);
        if (process.env.COURSE_BENCH && since) console.log(`[bench] rerun ${(performance.now() - since).toFixed(1)} ms`);
        this.draw();
        if (isDone(entry) && !this.again) this.again = this.advance();
      } while (this.again);
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Focuses the first lesson not yet done; true when there is one to run. */
  private advance(): boolean {
    const progress = readProgress();
    const next = this.lessons.find((l) => !isDone(progress.lessons[l.slug]));
    if (!next) {
      console.log(paint('green', '\nEvery lesson is done. Congratulations: you have built a production-grade MCP server!'));
      return false;
    }
    if (next.slug === this.lesson.slug) return false;
    console.log(paint('green', `\nOn to lesson ${next.number}: ${next.title}. Read lessons/${next.slug}/README.md`));
    this.focus(next);
    return true;
  }

  private draw(): void {
    if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
    const progress = readProgress();
    const done = this.lessons.filter((l) => isDone(progress.lessons[l.slug])).length;
    const checks = this.last?.checks ?? [];
    const passing = checks.filter((c) => c.state === 'passed').length;
    console.log(paint('gray', `MCP server course · lessons done ${done}/${this.lessons.length} · checks passing ${passing}/${checks.length} · watching lessons/${this.lesson.slug}/`));
    console.log('');
    if (this.last) console.log(formatLessonRun(this.lesson, this.last));
    if (this.note) console.log(`\n${this.note}`);
    console.log(paint('gray', `\n${process.stdin.isTTY ? KEYS : 'Edit and save: the checks re-run. Ctrl-C to stop.'}`));
  }

  private say(text: string): void {
    this.note = text;
    this.draw();
  }

  private listenToKeys(): void {
    process.on('SIGINT', () => this.quit());
    if (!process.stdin.isTTY) return;
    emitKeypressEvents(process.stdin);
    process.stdin.setRawMode(true);
    process.stdin.on('keypress', (_text: string, key: { name?: string; ctrl?: boolean }) => {
      if (key.ctrl && key.name === 'c') return this.quit();
      if (this.confirmingReset) {
        this.confirmingReset = false;
        if (key.name !== 'y') return this.say('Reset cancelled.');
        const { backup } = resetLesson(this.lesson, { root: this.target.root });
        return this.say(`Lesson ${this.lesson.number} is back to its starter.${backup ? ` Your files: ${backup}` : ''}`);
      }
      const index = this.lessons.indexOf(this.lesson);
      switch (key.name) {
        case 'h':
          return this.say(nextHint(this.lesson));
        case 'n':
        case 'p': {
          const other = this.lessons[index + (key.name === 'n' ? 1 : -1)];
          if (!other) return this.say('There is no lesson that way.');
          this.note = '';
          this.focus(other);
          return void this.rerun();
        }
        case 'l':
          return this.say(listLessons(this.lessons));
        case 'd':
          return this.say(diffOf(this.lesson, this.target.root) || 'Your code matches the reference solution.');
        case 'r':
          this.confirmingReset = true;
          return this.say(paint('yellow', `Reset lesson ${this.lesson.number} to its starter? Your files are backed up first. [y/N]`));
        case 'q':
          return this.quit();
      }
    });
  }

  private quit(): void {
    for (const w of this.watchers) w.close();
    clearTimeout(this.timer);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    void this.runner.close().finally(() => this.resolveFinished(0));
  }
}
