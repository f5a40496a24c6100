import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { limitOrDefault, SPARE_SERVERS } from '../../common/limits.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { serverArgs } from './settings.js';

/**
 * Starts a lesson file as a server process: `node <serverArgs> FILE` in the course folder, with
 * `env` as its whole environment and stdin, stdout and stderr piped, exactly as the checks have
 * always started it.
 *
 * Most of a spawn is Node's start-up and the SDK's import (about 0.3 s of 0.45 s). So the harness
 * keeps one spare process per check thread, started the same way and with the SDK loaded
 * (spare-server.mjs), and a request becomes that process: it takes the file, the environment and
 * the folder, and runs the file as its main module. A new spare is started at once for the next
 * request, while the current check runs. A request whose environment would change how Node itself
 * starts (NODE_OPTIONS and the like) gets a fresh process. COURSE_SPARE_SERVERS=0 turns spares off.
 */
export function startServerProcess(path: string, env: NodeJS.ProcessEnv, cwd = COURSE_ROOT): ChildProcessWithoutNullStreams {
  const ready = spareFor(env);
  const child = ready ? claim(ready, path, env, cwd) : spawn(process.execPath, serverArgs(path), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (sparesWanted()) setImmediate(refill);
  return child;
}

const SPARE_ENTRY = fileURLToPath(new URL('./spare-server.mjs', import.meta.url));

interface Spare {
  child: ChildProcess;
  /** The variables that shape Node's own start-up, as the spare was started with them. */
  startup: string;
  exited: boolean;
}

// One spare per thread. Kept in a global: the harness's modules outlive a run in a warm check
// thread (course/worker/pool.ts), and so does the spare, for the next run's first server.
const SPARE = Symbol.for('mcp-course.spare-server');
const slot = globalThis as { [SPARE]?: Spare };

function sparesWanted(): boolean {
  return limitOrDefault(SPARE_SERVERS) === 1;
}

/**
 * Variables Node (or tsx) reads as it starts and that change what a lesson server does, so a spare
 * started with other values can't serve. Not compared: NODE_ENV (Node never reads it),
 * NODE_COMPILE_CACHE (speed only) and NODE_EXTRA_CA_CERTS (trust for outgoing TLS, which no lesson
 * server makes; the SDK's default environment drops it, so comparing it would refuse every spare).
 */
export const STARTUP_VARIABLES = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_ICU_DATA',
  'NODE_V8_COVERAGE',
  'NODE_NO_WARNINGS',
  'NODE_PENDING_DEPRECATION',
  'NODE_DEBUG',
  'NODE_DEBUG_NATIVE',
  'UV_THREADPOOL_SIZE',
  'UV_USE_IO_URING',
  'TSX_TSCONFIG_PATH',
];

function startupOf(env: NodeJS.ProcessEnv): string {
  return JSON.stringify(STARTUP_VARIABLES.map((name) => env[name] ?? null));
}

function spareFor(env: NodeJS.ProcessEnv): Spare | undefined {
  const spare = slot[SPARE];
  if (!sparesWanted() || !spare || spare.exited || spare.startup !== startupOf(env)) return undefined;
  slot[SPARE] = undefined;
  return spare;
}

function refill(): void {
  if (slot[SPARE] && !slot[SPARE].exited) return;
  const child = spawn(process.execPath, serverArgs(SPARE_ENTRY), { cwd: COURSE_ROOT, env: process.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const spare: Spare = { child, startup: startupOf(process.env), exited: false };
  child.once('exit', () => (spare.exited = true));
  child.once('error', () => (spare.exited = true));
  // A waiting spare never keeps a check thread or the runner alive; it exits when fd 3 closes.
  setReferenced(child, false);
  slot[SPARE] = spare;
}

function claim(spare: Spare, path: string, env: NodeJS.ProcessEnv, cwd: string): ChildProcessWithoutNullStreams {
  const { child } = spare;
  setReferenced(child, true);
  const control = child.stdio[3] as Socket;
  control.end(`${JSON.stringify({ entry: path, env, cwd })}\n`);
  return child as ChildProcessWithoutNullStreams;
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  for (const stream of child.stdio) {
    const socket = stream as Partial<Socket> | null;
    if (referenced) socket?.ref?.();
    else socket?.unref?.();
  }
  if (referenced) child.ref();
  else child.unref();
}

/**
 * The client side of stdio for a server process the harness started itself: what the SDK's
 * StdioClientTransport does after its own spawn (newline-delimited JSON-RPC, the SDK's own
 * ReadBuffer and serializer), over a process from startServerProcess.
 */
export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();
  private closed = false;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  async start(): Promise<void> {
    this.child.on('error', (error) => this.onerror?.(error));
    this.child.on('close', () => {
      this.closed = true;
      this.onclose?.();
    });
    this.child.stdin.on('error', (error) => this.onerror?.(error));
    this.child.stdout.on('error', (error) => this.onerror?.(error));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed || !this.child.stdin.writable) throw new Error('Not connected');
    if (!this.child.stdin.write(serializeMessage(message))) await new Promise((resolve) => this.child.stdin.once('drain', resolve));
  }

  /** As the SDK's transport closes: end stdin, then SIGTERM, then SIGKILL, two seconds apart. */
  async close(): Promise<void> {
    const child = this.child;
    const closed = new Promise<void>((resolve) => (this.closed || child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve())));
    const within = (ms: number) => Promise.race([closed, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    child.stdin.end();
    await within(2000);
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      child.kill(signal);
      await within(2000);
    }
    this.buffer.clear();
  }
}
