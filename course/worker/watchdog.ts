import { BroadcastChannel } from 'node:worker_threads';
import { limitOrDefault, WATCHDOG } from '../../common/limits.js';
import { WATCHDOG_CHANNEL, type CheckMeta, type WorkerSignal } from './channel.js';
import { workerRegistry } from './pool.js';

/** What the watchdog stopped, and why: the runner turns it into the failing check's message. */
export interface StoppedCheck {
  /** vitest's task id of the check (or of the check file, when it was stuck before any check). */
  id: string;
  name: string;
  /** The check file's absolute path. */
  file: string;
  meta: CheckMeta;
  reason: 'stuck' | 'out-of-memory';
  /** How long the thread had been silent when it was stopped. */
  silentMs: number;
}

/** COURSE_WATCHDOG_MS: how long a check's thread may go without a heartbeat (default 10 s). */
export function watchdogMs(): number {
  return limitOrDefault(WATCHDOG);
}

interface ThreadState {
  lastBeat: number;
  current?: { id: string; name: string; file: string; meta: CheckMeta };
}

/**
 * Runs in the runner's own thread, beside vitest. Each check thread sends a heartbeat; a thread
 * that stays silent for `limitMs` is running code that never yields (a synchronous endless
 * loop), which vitest's per-check timeout cannot interrupt, so the watchdog terminates that
 * thread. vitest then reports the rest of the check file as lost, and the runner reports the
 * stopped check with `stopped()`. A thread that dies of a full heap is reported the same way.
 */
export class Watchdog {
  private readonly channel = new BroadcastChannel(WATCHDOG_CHANNEL);
  private readonly threads = new Map<number, ThreadState>();
  private readonly stoppedChecks: StoppedCheck[] = [];
  private readonly finished = new Map<string, Extract<WorkerSignal, { kind: 'end' }>>();
  private readonly timer: NodeJS.Timeout;
  private readonly hooked = new WeakSet<object>();

  constructor(readonly limitMs = watchdogMs()) {
    this.channel.onmessage = (event) => this.receive((event as { data: WorkerSignal }).data);
    this.timer = setInterval(() => this.inspect(), Math.min(250, limitMs / 4));
    this.timer.unref();
    (this.channel as unknown as { unref?: () => void }).unref?.();
  }

  /** The checks stopped since the last call (the runner collects them after each run). */
  takeStopped(): StoppedCheck[] {
    return this.stoppedChecks.splice(0);
  }

  /** The verdict a worker sent for a check, when vitest's own report of it was lost with its thread. */
  verdict(id: string): Extract<WorkerSignal, { kind: 'end' }> | undefined {
    return this.finished.get(id);
  }

  /** Waits until the verdicts of `ids` have arrived, or `ms` have passed. */
  async verdicts(ids: readonly string[], ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (ids.some((id) => !this.finished.has(id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Forgets the verdicts of the last run (the runner calls it before each run). */
  reset(): void {
    this.finished.clear();
    this.stoppedChecks.length = 0;
  }

  close(): void {
    clearInterval(this.timer);
    this.channel.close();
  }

  private receive(signal: WorkerSignal): void {
    const state = this.threads.get(signal.thread) ?? { lastBeat: 0 };
    state.lastBeat = performance.now();
    if (signal.kind === 'start') state.current = { id: signal.id, name: signal.name, file: signal.file, meta: signal.meta };
    if (signal.kind === 'end') this.finished.set(signal.id, signal);
    this.threads.set(signal.thread, state);
    this.hookExit(signal.thread);
  }

  /** Learns of a thread's death from its Worker: a full heap ends it with ERR_WORKER_OUT_OF_MEMORY. */
  private hookExit(thread: number): void {
    const worker = workerRegistry().get(thread);
    if (!worker || this.hooked.has(worker)) return;
    this.hooked.add(worker);
    worker.on('error', (error: Error & { code?: string }) => {
      const state = this.threads.get(thread);
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY' && state?.current) this.record(state, 'out-of-memory', 0);
    });
    worker.once('exit', () => this.threads.delete(thread));
  }

  private inspect(): void {
    const now = performance.now();
    const registry = workerRegistry();
    for (const [thread, state] of this.threads) {
      const worker = registry.get(thread);
      if (!worker) {
        this.threads.delete(thread);
        continue;
      }
      const silent = now - state.lastBeat;
      if (silent < this.limitMs || !state.current) continue;
      this.threads.delete(thread);
      this.record(state, 'stuck', silent);
      // terminate() interrupts running JavaScript (V8 TerminateExecution), a busy loop included.
      void worker.terminate();
    }
  }

  private record(state: ThreadState, reason: StoppedCheck['reason'], silentMs: number): void {
    const current = state.current!;
    this.stoppedChecks.push({ ...current, reason, silentMs });
  }
}
