import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ANSWER_TIMEOUT_MS } from './settings.js';
import { startServerProcess } from './server-process.js';
import { waitingFor } from './failure.js';
import { processTree, stopTree } from './process-tree.js';
import { meaningfulLines, startupProblem } from './quote.js';
import type { StepContext } from './step-context.js';
import { displayPath } from '../../common/paths.js';
import { cleanupAfterCheck } from './teardown.js';

/**
 * A lesson server spawned as a process and spoken to line by line, without the SDK's client:
 * for checks about the wire itself (newline-delimited JSON-RPC on stdio, nothing else on stdout).
 */
export class RawStdioServer {
  /** Every line the server wrote to stdout, in order. */
  readonly stdoutLines: string[] = [];
  private stderrText = '';
  private exitCode: number | null | undefined;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly step: StepContext,
    private readonly child: ChildProcessWithoutNullStreams,
    readonly file: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.stdoutLines.push(line);
      this.wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString();
      this.wake();
    });
    child.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
    child.stdin.on('error', () => {
      // the server exited: its failure message says so
    });
  }

  static start(step: StepContext, file: string, env: Record<string, string> = {}): RawStdioServer {
    const path = step.path(file);
    const child = startServerProcess(path, { ...process.env, ...env });
    const server = new RawStdioServer(step, child, displayPath(path));
    cleanupAfterCheck(() => server.stop());
    return server;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Writes one message as one line: a string as is (for malformed input), anything else as JSON. */
  send(message: unknown): void {
    this.child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  /** Resolves with the first stdout line after `from` that parses as JSON and matches `test`. */
  async nextMessage(what: string, test: (message: Record<string, unknown>) => boolean = () => true, from = 0): Promise<Record<string, unknown>> {
    return waitingFor(`${what} on the stdout of ${this.file}`, this.firstMessage(what, test, from));
  }

  private async firstMessage(what: string, test: (message: Record<string, unknown>) => boolean, from: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      for (const line of this.stdoutLines.slice(from)) {
        const message = parseJson(line);
        if (message && test(message)) return message;
      }
      if (this.exited) {
        const problem = startupProblem(this.stderrText);
        this.step.fail(problem ? `${this.file} ${problem}:${this.context()}` : `${this.file} exited (code ${this.exitCode}) before sending ${what}.${this.context()}`);
      }
      if (Date.now() >= deadline) {
        this.step.fail(`no ${what} on stdout within ${ANSWER_TIMEOUT_MS / 1000} s.${this.context()}`);
      }
      await this.change(deadline - Date.now());
    }
  }

  /**
   * Resolves with stderr once `test` accepts what the server wrote there after character `from`
   * (a log line that must appear), by condition: the answer deadline only guards against silence.
   */
  async waitForStderr(what: string, test: (stderr: string) => boolean, from = 0): Promise<string> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      if (test(this.stderrText.slice(from))) return this.stderrText;
      if (this.exited) this.step.fail(`${this.file} exited (code ${this.exitCode}) before writing ${what} to stderr.${this.context()}`);
      if (Date.now() >= deadline) this.step.fail(`no ${what} on stderr within ${ANSWER_TIMEOUT_MS / 1000} s.${this.context()}`);
      await this.change(deadline - Date.now());
    }
  }

  /** Stdout and stderr so far, for failure messages. */
  context(): string {
    const out = this.stdoutLines.slice(-10).map((l) => `    stdout | ${l}`);
    const err = meaningfulLines(this.stderrText).slice(-10).map((l) => `    stderr | ${l}`);
    const lines = [...out, ...err];
    return lines.length ? `\n  the server wrote:\n${lines.join('\n')}` : '\n  the server wrote nothing at all.';
  }

  /** Stops the server and every process it started (they would outlive it, adopted by PID 1). */
  async stop(): Promise<void> {
    if (this.exited) return;
    const tree = this.child.pid ? processTree(this.child.pid) : [];
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
    await gone;
    clearTimeout(timer);
    await stopTree(tree.slice(1));
  }

  private change(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(ms, 0));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
