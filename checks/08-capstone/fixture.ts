import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, cleanupAfterCheck, show, type StepContext } from '../harness/index.js';
import { startServerProcess } from '../harness/server-process.js';

/** Generous for a server start: tsx compiles the whole server first, and the machine may be loaded. */
export const START_TIMEOUT_MS = Math.max(ANSWER_TIMEOUT_MS, 30_000);
/** vitest's limit for a check that starts servers (the default 15 s is too tight for several starts). */
export const SLOW = { timeout: 120_000 };

/** The API keys every HTTP check uses: the key, its holder and its scopes (R-AUTH-1). */
export const KEYS = {
  admin: { key: 'tb-admin-7f3c9a1e0b5d', name: 'admin', scopes: ['tasks:read', 'tasks:write', 'tasks:admin'] },
  alice: { key: 'tb-alice-2d8e4f6a1c3b', name: 'alice', scopes: ['tasks:read', 'tasks:write'] },
  bob: { key: 'tb-bob-9a0b1c2d3e4f', name: 'bob', scopes: ['tasks:read', 'tasks:write'] },
  reader: { key: 'tb-reader-5e6f7a8b9c0d', name: 'reader', scopes: ['tasks:read'] },
} as const;
export type KeyName = keyof typeof KEYS;

/** A scratch folder for one check's database and keys file, removed when the check ends. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskboard-08-'));
  cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeKeysFile(dir: string): string {
  const path = join(dir, 'keys.json');
  const records = Object.values(KEYS).map((k) => ({ name: k.name, sha256: createHash('sha256').update(k.key).digest('hex'), scopes: k.scopes }));
  writeFileSync(path, JSON.stringify(records, null, 2));
  return path;
}


export interface StartOptions {
  transport: 'http' | 'stdio';
  /** The sqlite file; a new one in a scratch folder when omitted. */
  db?: string;
  /** Serve with the keys of KEYS (HTTP); default true. */
  keys?: boolean;
  env?: Record<string, string>;
}

/** The student's server as a real process: `node --import tsx src/main.ts` with the environment the spec names. */
export class ServerProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  code: number | null | undefined = undefined;
  signal: NodeJS.Signals | null = null;
  url: URL | undefined;
  private waiters = new Set<() => void>();

  private constructor(
    readonly step: StepContext,
    readonly child: ChildProcessWithoutNullStreams,
    readonly db: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.push(this.stdout, line));
    createInterface({ input: child.stderr }).on('line', (line) => this.push(this.stderr, line));
    child.on('exit', (code, signal) => {
      this.code = code;
      this.signal = signal;
      this.wake();
    });
    child.stdin.on('error', () => undefined); // the process is gone: the check's message says so
    cleanupAfterCheck(() => this.kill('SIGKILL'));
  }

  static spawn(step: StepContext, options: StartOptions, dir = scratchDir()): ServerProcess {
    const db = options.db ?? join(dir, 'taskboard.db');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TASKBOARD_DB: db, TASKBOARD_TRANSPORT: options.transport };
    if (options.transport === 'http') {
      env.TASKBOARD_PORT = '0';
      env.TASKBOARD_HOST = '127.0.0.1';
      if (options.keys !== false) env.TASKBOARD_API_KEYS_FILE = writeKeysFile(dir);
    }
    Object.assign(env, options.env ?? {});
    // As every lesson server starts (from a spare process when one is ready: checks/harness/server-process.ts).
    return new ServerProcess(step, startServerProcess(step.path('src/main.ts'), env), db);
  }

  /** Starts the server and, over HTTP, waits for the `MCP server on <url>` line (R-HTTP-1). */
  static async start(step: StepContext, options: StartOptions, dir?: string): Promise<ServerProcess> {
    const server = ServerProcess.spawn(step, options, dir);
    if (options.transport === 'http') {
      const line = await server.until('the line "MCP server on http://…/mcp" on stderr (R-HTTP-1)', () => server.stderr.some((l) => /MCP server on https?:\/\/\S+/.test(l)), START_TIMEOUT_MS);
      void line;
      const found = server.stderr.map((l) => /MCP server on (https?:\/\/\S+)/.exec(l)?.[1]).find(Boolean)!;
      server.url = new URL(found);
    }
    return server;
  }

  get exited(): boolean {
    return this.code !== undefined;
  }

  /** Waits for `condition`; fails with what the process wrote if it exits or the deadline passes. */
  async until(what: string, condition: () => boolean, deadlineMs = ANSWER_TIMEOUT_MS, exitIsFine = false): Promise<void> {
    const started = Date.now();
    while (!condition()) {
      if (this.exited && !exitIsFine) this.step.fail(`waited for ${what}, but the server exited (${this.exitText()}).${this.output()}`);
      if (Date.now() - started > deadlineMs) this.step.fail(`waited ${deadlineMs} ms for ${what}, in vain.${this.output()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(50, deadlineMs - (Date.now() - started)));
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async exit(what: string, deadlineMs = START_TIMEOUT_MS): Promise<number | null> {
    await this.until(what, () => this.exited, deadlineMs, true);
    return this.code ?? null;
  }

  send(message: unknown): void {
    this.child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(signal);
  }

  exitText(): string {
    return this.signal ? `signal ${this.signal}` : `exit code ${this.code}`;
  }

  /** The last lines of stderr, for a failure message. */
  output(): string {
    const tail = this.stderr.slice(-8).join('\n');
    return tail ? `\nIts stderr ended with:\n${tail}` : ' It wrote nothing on stderr.';
  }

  private push(lines: string[], line: string): void {
    lines.push(line);
    this.wake();
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }
}

/** An SDK client over Streamable HTTP, with the API key of `who` (none for `null`). */
export async function httpClient(step: StepContext, server: ServerProcess, who: KeyName | null = 'admin'): Promise<Client> {
  const url = step.require(server.url, 'the server gave no URL on stderr (R-HTTP-1).');
  const headers: Record<string, string> = who ? { authorization: `Bearer ${KEYS[who].key}` } : {};
  const client = new Client({ name: 'capstone-check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  await step.run(`connecting an MCP client over HTTP to ${url.href} as ${who ?? 'nobody'}`, () => client.connect(transport));
  cleanupAfterCheck(() => client.close());
  return client;
}

/** tools/call through the client; a protocol error becomes a teaching failure. */
export async function call(step: StepContext, client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await step.run(`tools/call ${name} ${JSON.stringify(args).slice(0, 200)}`, () => client.callTool({ name, arguments: args }, undefined, { timeout: ANSWER_TIMEOUT_MS }))) as CallToolResult;
}

/** A call that must succeed: its structuredContent. */
export async function ok(step: StepContext, client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const result = await call(step, client, name, args);
  if (result.isError) step.fail(`${name} ${JSON.stringify(args).slice(0, 200)} should succeed, but answered a tool error: ${show(result)}`);
  return step.require(result.structuredContent as Record<string, any> | undefined, `${name} should answer structuredContent (the spec gives its shape), got ${show(result)}`);
}

/** A call that must be refused with a tool error (isError: true). */
export async function refused(step: StepContext, client: Client, name: string, args: Record<string, unknown>, why: string): Promise<void> {
  const result = await call(step, client, name, args);
  step.expect(result.isError === true, `${name} ${JSON.stringify(args).slice(0, 200)} should be a tool error (isError: true): ${why}. Got ${show(result)}`).toBe(true);
}

/** The tasks of a project, as list_tasks gives them. */
export async function tasksOf(step: StepContext, client: Client, project: string, status?: string): Promise<Array<Record<string, any>>> {
  const result = await ok(step, client, 'list_tasks', status ? { project, status } : { project });
  return step.require(Array.isArray(result.tasks) ? (result.tasks as Array<Record<string, any>>) : undefined, `list_tasks should answer structuredContent.tasks as an array, got ${show(result)}`);
}

/** A project with `n` tasks; returns their ids. */
export async function seed(step: StepContext, client: Client, project: string, titles: Array<string | Record<string, unknown>>): Promise<string[]> {
  await ok(step, client, 'create_project', { key: project, name: `Project ${project}` });
  const ids: string[] = [];
  for (const t of titles) {
    const created = await ok(step, client, 'create_task', { project, ...(typeof t === 'string' ? { title: t } : t) });
    ids.push(step.require(created.task?.id as string | undefined, `create_task should answer structuredContent.task with its id, got ${JSON.stringify(created)}`));
  }
  return ids;
}

/** One raw HTTP request, for what the SDK client hides (status codes, headers). */
export async function post(url: URL, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** initialize over raw HTTP: the session id. */
export async function rawSession(step: StepContext, url: URL, headers: Record<string, string>): Promise<string> {
  const init = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } }), headers);
  const id = init.headers.get('mcp-session-id');
  if (init.status !== 200 || !id) step.fail(`initialize over HTTP should answer 200 with an Mcp-Session-Id, got ${init.status} ${init.text.slice(0, 200)}`);
  await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
  return id;
}

/** The JSON-RPC messages of an HTTP answer (a JSON body or an SSE stream of `data:` lines). */
export function messagesOf(text: string): Array<Record<string, any>> {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const value = JSON.parse(trimmed);
    return Array.isArray(value) ? value : [value];
  }
  return trimmed
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
