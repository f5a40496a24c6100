import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { limitOrDefault, MEMORY_LIMIT, WARM_THREADS } from '../../common/limits.js';
import { COURSE_ROOT } from '../../common/paths.js';
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node';

/**
 * The checks' worker pool: vitest's `threads` pool, with two additions the course runner needs.
 *
 * - Every worker thread is registered (by its threadId) where the runner's watchdog can find it:
 *   a check stuck in a synchronous loop never yields to vitest's own timers, so only ending its
 *   thread from outside stops it (course/worker/watchdog.ts does that).
 * - Each thread gets a heap limit: code that allocates without end then fails its own thread
 *   (ERR_WORKER_OUT_OF_MEMORY) quickly, instead of taking the machine's memory first.
 * - A healthy thread outlives the run (see ParkedThreads): vitest ends its workers after every
 *   run, and starting one (a thread, vitest's worker runtime, the harness and the SDK imported
 *   again) was most of a watch-mode re-run. The next run of the same Vitest instance, with the
 *   same configuration, adopts the parked thread instead; the thread drops the code under test
 *   from its module cache first (course/worker/thread-entry.mjs), so nothing of the learner's
 *   module state carries over. COURSE_WARM_THREADS=0 ends every thread after its run, as vitest does
 *   (to compare, or to rule the reuse out when something looks odd).
 *
 * The registries are globals, not module variables, because vitest loads this file through its
 * config bundler: the runner's own import of it is a different module instance.
 */
export const POOL_NAME = 'course-threads';

const REGISTRY = Symbol.for('mcp-course.check-workers');

export function workerRegistry(): Map<number, Worker> {
  const global = globalThis as { [REGISTRY]?: Map<number, Worker> };
  return (global[REGISTRY] ??= new Map());
}

/** What thread-entry.mjs does on this message: drop the code under test from the module cache. */
const RESET = 'course:reset-modules';

/** Modules a reset keeps (they never hold a learner's state): the harness and the runner's own. */
const KEPT_MODULES = ['checks/harness', 'common', 'course'].map((dir) => join(COURSE_ROOT, dir) + sep);

const THREAD_ENTRY = fileURLToPath(new URL('./thread-entry.mjs', import.meta.url));

interface Parked {
  thread: Worker;
  /** The configuration the thread was started with: only a run with the same one may adopt it. */
  key: string;
  /** Runs it has served: see RUNS_PER_THREAD. */
  runs: number;
  forget: () => void;
}

/**
 * A thread serves at most this many runs, then is ended like vitest's own: what a learner's code
 * leaves behind in it (a timer, a listener on process) cannot pile up over a whole watch session.
 */
const RUNS_PER_THREAD = 20;

const PARKED = Symbol.for('mcp-course.parked-check-threads');

/**
 * Threads between runs, by the Vitest instance that ran them (a thread is set up for one
 * instance's configuration and target). Unreferenced while parked, so a forgotten one never keeps
 * the process alive; they are ended when the instance closes (Vitest.onClose).
 */
function parkedThreads(): WeakMap<object, Parked[]> {
  const global = globalThis as { [PARKED]?: WeakMap<object, Parked[]> };
  return (global[PARKED] ??= new WeakMap());
}

/** Ends the threads parked for `vitest`. */
async function closeParkedThreads(vitest: object): Promise<void> {
  const parked = parkedThreads().get(vitest) ?? [];
  parkedThreads().delete(vitest);
  await Promise.all(parked.map(({ thread }) => thread.terminate()));
}

/**
 * What a thread is set up with, but for its environment variables, which the reset sets anew
 * (a warm runner pointed at another target, CheckRunner.retarget, keeps its threads). A RegExp
 * (the test name pattern) is part of it: JSON would write it as {}.
 */
function configurationKey(options: PoolOptions): string {
  const { execArgv, environment, project } = options;
  return JSON.stringify({ execArgv, environment, config: project.serializedConfig }, (_key, value: unknown) =>
    value instanceof RegExp ? value.toString() : value,
  );
}

/** MiB of old-generation heap a check thread may use; COURSE_MEMORY_LIMIT_MB changes it. */
export function memoryLimitMb(): number {
  return limitOrDefault(MEMORY_LIMIT);
}

class CourseThreadsWorker implements PoolWorker {
  readonly name = POOL_NAME;
  private readonly entrypoint: string;
  private thread: Worker | undefined;
  /** Set once the thread has emitted 'error' (a full heap, say), before its 'exit'. */
  private failed = false;
  private readonly wrapped = new Map<(...args: any[]) => void, (...args: any[]) => void>();
  /** Every listener vitest attached to the thread: a parked thread must not keep them. */
  private readonly listeners: Array<[string, (...args: any[]) => void]> = [];
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  private readonly key: string;
  /** The thread was parked by an earlier run: it is set up already and must reset its modules. */
  private adopted = false;
  /** vitest asked the thread to stop gracefully (not a forced stop): it may be parked instead. */
  private parkOnStop = false;
  private runs = 0;
  /** Adopted, and the reset not sent yet. */
  private resetPending = false;
  private readonly onError = () => (this.failed = true);

  constructor(private readonly options: PoolOptions) {
    // vitest's own `threads` worker, behind the course's entry (thread-entry.mjs), which adds the reset.
    this.entrypoint = resolve(options.distPath, 'workers/threads.js');
    this.key = configurationKey(options);
    const logger = options.project.vitest.logger;
    this.stdout = logger.outputStream;
    this.stderr = logger.errorStream;
  }

  private get live(): Worker {
    if (!this.thread) throw new Error('course pool: the worker thread is not running');
    return this.thread;
  }

  on(event: string, callback: (...args: any[]) => void): void {
    if (event !== 'exit') {
      this.listeners.push([event, callback]);
      return void this.live.on(event, callback);
    }
    // vitest 5.1 reports a thread's 'error' (it rejects the running file) and then its 'exit'
    // as a second error when nobody listens any more: an unhandled 'error' event that ends the
    // whole runner. The exit of a thread that already failed is old news, so it is not passed on.
    const wrapper = (...args: any[]) => {
      if (!this.failed) callback(...args);
    };
    this.wrapped.set(callback, wrapper);
    this.listeners.push([event, wrapper]);
    this.live.on(event, wrapper);
  }

  off(event: string, callback: (...args: any[]) => void): void {
    this.live.off(event, this.wrapped.get(callback) ?? callback);
    this.wrapped.delete(callback);
  }

  send(message: WorkerRequest): void {
    if (this.adopted && message.type === 'start') {
      // Set up already, with this very configuration: answer for it, as vitest's worker would.
      return this.answer({ type: 'started', __vitest_worker_response__: true });
    }
    if (message.type === 'stop' && !this.failed && limitOrDefault(WARM_THREADS) === 1) {
      // Kept for the next run instead (stop() parks it): its runtime stays set up.
      this.parkOnStop = true;
      return this.answer({ type: 'stopped', __vitest_worker_response__: true });
    }
    if (this.resetPending && (message.type === 'run' || message.type === 'collect')) {
      // Once, before this run's first file (its later files share modules, as in a new thread).
      this.resetPending = false;
      this.live.postMessage({ type: RESET, env: this.options.env });
    }
    this.live.postMessage(message);
  }

  /** Delivers `response` to vitest as if the thread had sent it. */
  private answer(response: object): void {
    const thread = this.live;
    setImmediate(() => thread.emit('message', response));
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  async start(): Promise<void> {
    if (this.thread) return;
    if (this.adopt()) return;
    const thread = new Worker(THREAD_ENTRY, {
      env: this.options.env as NodeJS.ProcessEnv,
      execArgv: this.options.execArgv,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb() },
      workerData: { vitestEntry: this.entrypoint, keep: KEPT_MODULES, resetType: RESET },
    });
    this.thread = thread;
    this.failed = false;
    thread.once('error', this.onError);
    const registry = workerRegistry();
    registry.set(thread.threadId, thread);
    thread.once('exit', () => registry.delete(thread.threadId));
    thread.stdout.pipe(this.stdout, { end: false });
    thread.stderr.pipe(this.stderr, { end: false });
  }

  async stop(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.thread = undefined;
    for (const [event, listener] of this.listeners.splice(0)) thread.off(event, listener);
    this.wrapped.clear();
    thread.off('error', this.onError);
    if (this.parkOnStop && !this.failed && thread.threadId >= 0 && this.runs + 1 < RUNS_PER_THREAD) return this.park(thread);
    workerRegistry().delete(thread.threadId);
    await thread.terminate();
    thread.stdout.unpipe(this.stdout);
    thread.stderr.unpipe(this.stderr);
  }

  private park(thread: Worker): void {
    const vitest = this.options.project.vitest;
    let parked = parkedThreads().get(vitest);
    if (!parked) {
      parked = [];
      parkedThreads().set(vitest, parked);
      // vitest closes its pool, then calls these: the parked threads go with the instance (a
      // parked thread's stdio would otherwise keep the process alive).
      vitest.onClose(() => closeParkedThreads(vitest));
    }
    const list = parked;
    // A parked thread that dies (the watchdog, a full heap) is forgotten.
    const forget = () => {
      const index = list.indexOf(entry);
      if (index >= 0) list.splice(index, 1);
    };
    const entry: Parked = { thread, key: this.key, runs: this.runs + 1, forget };
    list.push(entry);
    thread.once('exit', forget);
    thread.unref();
  }

  /** Takes a parked thread of the same Vitest instance and configuration, if there is one. */
  private adopt(): boolean {
    const parked = parkedThreads().get(this.options.project.vitest);
    const index = parked?.findIndex((p) => p.key === this.key && p.thread.threadId >= 0) ?? -1;
    if (!parked || index < 0) return false;
    const [{ thread, runs, forget }] = parked.splice(index, 1) as [Parked];
    thread.off('exit', forget);
    thread.ref();
    thread.once('error', this.onError);
    this.thread = thread;
    this.runs = runs;
    this.adopted = true;
    this.resetPending = true;
    this.failed = false;
    return true;
  }
}

/** vitest's `pool` option for the checks project (a custom pool runner, vitest >= 4). */
export const courseThreads = {
  name: POOL_NAME,
  createPoolWorker: (options: PoolOptions): PoolWorker => new CourseThreadsWorker(options),
};
