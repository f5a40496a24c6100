import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { ANSWER_TIMEOUT_MS, cleanupAfterCheck, parseJson, type StepContext } from '../harness/index.js';
import { COURSE_ROOT, displayPath } from '../../common/paths.js';
import { startServerProcess } from '../harness/server-process.js';

/**
 * A lesson server as its own process, spoken to line by line, for what only a process shows:
 * its exit code, what it does on a signal or when stdin ends, every line of stderr.
 */
export class ServerProcess {
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  code: number | null | undefined;
  signal: NodeJS.Signals | null = null;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly step: StepContext,
    readonly child: ChildProcessWithoutNullStreams,
    readonly label: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.push(this.stdoutLines, line));
    createInterface({ input: child.stderr }).on('line', (line) => this.push(this.stderrLines, line));
    child.on('exit', (code, signal) => {
      this.code = code;
      this.signal = signal;
      this.wake();
    });
    child.stdin.on('error', () => {
      // the server exited: the check's message says so
    });
    cleanupAfterCheck(() => this.kill());
  }

  /** `node --import tsx FILE` for a lesson file, or any command (a built bin), with `env` added to this process's. */
  static start(step: StepContext, command: { file: string } | { command: string; args: string[]; cwd?: string }, env: Record<string, string> = {}): ServerProcess {
    const merged = { ...process.env, ...env };
    if ('file' in command) {
      // As every lesson server starts (from a spare process when one is ready: checks/harness/server-process.ts).
      const path = step.path(command.file);
      return new ServerProcess(step, startServerProcess(path, merged), `node --import tsx ${displayPath(path)}`);
    }
    const child = spawn(command.command, command.args, { cwd: command.cwd ?? COURSE_ROOT, env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
    return new ServerProcess(step, child, [command.command, ...command.args].join(' '));
  }

  get exited(): boolean {
    return this.code !== undefined;
  }

  send(message: unknown): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** initialize + initialized, waiting for the answer. */
  async handshake(): Promise<Record<string, unknown>> {
    this.send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'course-check', version: '1.0.0' } } });
    const answer = await this.message('the answer to initialize', (m) => m.id === 0);
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return answer;
  }

  /** The first stdout message matching `test`, waiting for it (guarded by the answer deadline). */
  async message(what: string, test: (m: Record<string, unknown>) => boolean, deadlineMs = ANSWER_TIMEOUT_MS): Promise<Record<string, unknown>> {
    await this.until(`${what} on stdout`, () => this.stdoutLines.some((l) => matches(l, test)), deadlineMs);
    return parseJson(this.stdoutLines.find((l) => matches(l, test))!)!;
  }

  /** Waits for the process to exit and returns its code (null when a signal ended it). */
  async exit(what: string, deadlineMs = ANSWER_TIMEOUT_MS): Promise<number | null> {
    await this.until(what, () => this.exited, deadlineMs, true);
    return this.code ?? null;
  }

  /** Waits for a stderr line matching `test`. */
  async stderrLine(what: string, test: (line: string) => boolean, deadlineMs = ANSWER_TIMEOUT_MS): Promise<string> {
    await this.until(`${what} on stderr`, () => this.stderrLines.some(test), deadlineMs);
    return this.stderrLines.find(test)!;
  }

  /** What the process wrote, for failure messages. */
  context(): string {
    const out = this.stdoutLines.slice(-8).map((l) => `    stdout | ${l.slice(0, 300)}`);
    const err = this.stderrLines.slice(-10).map((l) => `    stderr | ${l.slice(0, 300)}`);
    const status = this.exited ? `\n  it exited with ${this.code === null ? `signal ${this.signal}` : `code ${this.code}`}.` : '';
    return (out.length + err.length ? `\n  \`${this.label}\` wrote:\n${[...out, ...err].join('\n')}` : `\n  \`${this.label}\` wrote nothing.`) + status;
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await gone;
  }

  private async until(what: string, done: () => boolean, deadlineMs: number, exitIsFine = false): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!done()) {
      if (this.exited && !exitIsFine) this.step.fail(`the server exited before ${what}.${this.context()}`);
      if (Date.now() >= deadline) this.step.fail(`no ${what} within ${deadlineMs / 1000} s.${this.context()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private push(lines: string[], line: string): void {
    lines.push(line);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }
}

function matches(line: string, test: (m: Record<string, unknown>) => boolean): boolean {
  const message = parseJson(line);
  return message !== undefined && test(message);
}

/** A loopback port that was free a moment ago (the server under test binds it itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Lesson 06 made HTTP need a credential: an API-keys file (hashes only, lesson 06's format) in a
 * folder of its own, with one key granting both scopes, for TASKBOARD_API_KEYS_FILE; and the
 * header a client sends with it.
 */
export function apiKeysFile(): { file: string; key: string; headers: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'course-07-keys-'));
  cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
  const key = `tb_${randomBytes(24).toString('hex')}`;
  const file = join(dir, 'api-keys.json');
  const sha256 = createHash('sha256').update(key, 'utf8').digest('hex');
  writeFileSync(file, JSON.stringify([{ name: 'course-check', sha256, scopes: ['tasks:read', 'tasks:write'] }]));
  return { file, key, headers: { Authorization: `Bearer ${key}` } };
}
