import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { limitOrDefault, MEMORY_LIMIT } from '../../common/limits.js';
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node';

/**
 * The checks' worker pool: vitest's `threads` pool, with two additions the course runner needs.
 *
 * - Every worker thread is registered (by its threadId) where the runner's watchdog can find it:
 *   a check stuck in a synchronous loop never yields to vitest's own timers, so only ending its
 *   thread from outside stops it (course/worker/watchdog.ts does that).
 * - Each thread gets a heap limit: code that allocates without end then fails its own thread
 *   (ERR_WORKER_OUT_OF_MEMORY) quickly, instead of taking the machine's memory first.
 *
 * The registry is a global, not a module variable, because vitest loads this file through its
 * config bundler: the runner's own import of it is a different module instance.
 */
export const POOL_NAME = 'course-threads';

const REGISTRY = Symbol.for('mcp-course.check-workers');

export function workerRegistry(): Map<number, Worker> {
  const global = globalThis as { [REGISTRY]?: Map<number, Worker> };
  return (global[REGISTRY] ??= new Map());
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
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(private readonly options: PoolOptions) {
    // The same entry point as vitest's own `threads` pool: only the Worker's options differ.
    this.entrypoint = resolve(options.distPath, 'workers/threads.js');
    const logger = options.project.vitest.logger;
    this.stdout = logger.outputStream;
    this.stderr = logger.errorStream;
  }

  private get live(): Worker {
    if (!this.thread) throw new Error('course pool: the worker thread is not running');
    return this.thread;
  }

  on(event: string, callback: (...args: any[]) => void): void {
    if (event !== 'exit') return void this.live.on(event, callback);
    // vitest 5.1 reports a thread's 'error' (it rejects the running file) and then its 'exit'
    // as a second error when nobody listens any more: an unhandled 'error' event that ends the
    // whole runner. The exit of a thread that already failed is old news, so it is not passed on.
    const wrapper = (...args: any[]) => {
      if (!this.failed) callback(...args);
    };
    this.wrapped.set(callback, wrapper);
    this.live.on(event, wrapper);
  }

  off(event: string, callback: (...args: any[]) => void): void {
    this.live.off(event, this.wrapped.get(callback) ?? callback);
    this.wrapped.delete(callback);
  }

  send(message: WorkerRequest): void {
    this.live.postMessage(message);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  async start(): Promise<void> {
    if (this.thread) return;
    const thread = new Worker(this.entrypoint, {
      env: this.options.env as NodeJS.ProcessEnv,
      execArgv: this.options.execArgv,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb() },
    });
    this.thread = thread;
    this.failed = false;
    thread.once('error', () => (this.failed = true));
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
    workerRegistry().delete(thread.threadId);
    await thread.terminate();
    thread.stdout.unpipe(this.stdout);
    thread.stderr.unpipe(this.stderr);
  }
}

/** vitest's `pool` option for the checks project (a custom pool runner, vitest >= 4). */
export const courseThreads = {
  name: POOL_NAME,
  createPoolWorker: (options: PoolOptions): PoolWorker => new CourseThreadsWorker(options),
};
