import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { join, resolve } from 'node:path';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { tsxLoaderUrl } from '../../common/paths.js';
import { CheckFailure, describeError, waitingFor, within } from '../harness/failure.js';
import { processTree, stopTree } from '../harness/process-tree.js';
import { quoteOutput, startupProblem } from '../harness/quote.js';
import { ProcessStdioTransport, startServerProcess } from '../harness/server-process.js';
import { ANSWER_TIMEOUT_MS, CHECK_CLIENT } from '../harness/settings.js';

/**
 * The learner's server for the generic spec checks: the spec's command (or `--server`), started
 * over stdio with a real SDK Client, every answer under the harness's deadline, every failure a
 * teaching message that starts with where in the spec it comes from.
 */

/** Where a failure points: `examples/crm/SPEC.md:41 (R-DEAL-3):`. */
export class SpecPlace {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly requirement: string,
  ) {}

  get prefix(): string {
    return `${this.file}:${this.line} (${this.requirement}):`;
  }

  fail(message: string): never {
    throw new CheckFailure(`${this.prefix} ${message}`);
  }
}

/** Splits a command line into words: whitespace separates, single or double quotes group. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(pattern)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}

/**
 * The command as it is spawned: `node` is this Node (the course's, not an older one on PATH), and
 * `tsx FILE` is this Node with the course's tsx loader, so a TypeScript server needs no build.
 */
export function resolveCommand(command: string): { command: string; args: string[] } {
  const [first, ...rest] = splitCommand(command);
  if (!first) throw new Error('the server command is empty');
  if (first === 'node') return { command: process.execPath, args: rest };
  if (first === 'tsx') return { command: process.execPath, args: ['--import', tsxLoaderUrl(), ...rest] };
  return { command: first, args: rest };
}

export interface ServerSetup {
  command: string;
  cwd: string;
  env: Record<string, string>;
}

export interface RunningServer {
  client: Client;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts the server and completes the MCP handshake, or fails at `place` saying why. */
export async function startServer(setup: ServerSetup, place: SpecPlace): Promise<RunningServer> {
  let scratch: string | undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(setup.env)) {
    if (value.includes('{scratch}')) scratch ??= mkdtempSync(join(tmpdir(), 'mcp-spec-'));
    env[key] = value.replaceAll('{scratch}', scratch ?? '');
  }
  const { command, args } = resolveCommand(setup.command);
  const fullEnv = { ...getDefaultEnvironment(), ...env };
  // `tsx FILE` is how the harness starts a lesson server, so it may come from a spare process
  // (checks/harness/server-process.ts); any other command is spawned as written.
  const [word, file, ...more] = splitCommand(setup.command);
  const child: ChildProcessWithoutNullStreams =
    word === 'tsx' && file && more.length === 0
      ? startServerProcess(resolve(setup.cwd, file), fullEnv, setup.cwd)
      : spawn(command, args, { cwd: setup.cwd, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  const transport = new ProcessStdioTransport(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Its exit code says more than the client's "Connection closed" when the server ends before answering.
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  child.once('error', (error) => (spawnError = error));
  const client = new Client(CHECK_CLIENT, { capabilities: {} });
  let tree: number[] = [];
  const stop = async () => {
    // Gathered before closing: once the server is gone, its children are adopted by PID 1.
    tree = transport.pid ? processTree(transport.pid) : tree;
    await client.close().catch(() => undefined);
    await stopTree(tree);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const how = `started as \`${setup.command}\` (in ${setup.cwd})`;
  try {
    await waitingFor(
      `the answer to initialize from the server ${how}`,
      within(client.connect(transport, { timeout: ANSWER_TIMEOUT_MS }), ANSWER_TIMEOUT_MS + 500, () => new Error(`no answer to initialize within ${ANSWER_TIMEOUT_MS / 1000} s`)),
    );
  } catch (error) {
    // As things stood when the client gave up: stopping the server ends it, which is not its failure.
    const exited = exit;
    await stop();
    const problem = startupProblem(stderr);
    const why = spawnError
      ? `the server command could not be started (${spawnError.message}); check \`server:\` in the spec's front matter or --server`
      : problem
        ? `the server ${how} ${problem}`
        : exited
          ? `the server ${how} exited (${exited.code !== null ? `exit code ${exited.code}` : `signal ${exited.signal}`}) before answering initialize`
          : error instanceof McpError && error.code === ErrorCode.RequestTimeout
            ? `the server ${how} did not answer initialize within ${ANSWER_TIMEOUT_MS / 1000} s (COURSE_ANSWER_TIMEOUT_MS): look for a start-up that never finishes, or output that is not JSON-RPC on stdout`
            : `the server ${how} did not complete the MCP handshake: ${describeError(error)}`;
    place.fail(`${why}.${stderr.trim() ? `\n  what the server wrote to stderr:\n${quoteOutput(stderr)}` : ''}`);
  }
  return { client, stderr: () => stderr, stop };
}
