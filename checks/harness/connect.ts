import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import { describeError, within } from './failure.js';
import type { StepContext } from './step-context.js';
import { ANSWER_TIMEOUT, limitOrDefault, MEMORY_LIMIT } from '../../common/limits.js';
import { COURSE_ROOT, displayPath, tsxLoaderUrl } from '../../common/paths.js';
import { cleanupAfterCheck } from './teardown.js';

/**
 * How long a server gets to answer `initialize` or any request a check sends: a guard against a
 * server that never answers, not a speed requirement. COURSE_ANSWER_TIMEOUT_MS changes it (a slow
 * machine may want more; the runner's own tests use less).
 */
export const ANSWER_TIMEOUT_MS = limitOrDefault(ANSWER_TIMEOUT);

/**
 * How the harness starts a lesson file as a server process: under tsx, with the same heap limit
 * as a check (so a server that allocates without end dies quickly, not after eating the machine).
 */
export function serverArgs(path: string): string[] {
  return [`--max-old-space-size=${limitOrDefault(MEMORY_LIMIT)}`, '--import', tsxLoaderUrl(), path];
}

export const CHECK_CLIENT: Implementation = { name: 'course-check', version: '1.0.0' };

export interface ConnectOptions {
  clientInfo?: Implementation;
  capabilities?: ClientCapabilities;
  clientOptions?: ClientOptions;
}

/** Anything with the `connect(transport)` of McpServer and the low-level Server. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

function newClient(options: ConnectOptions): Client {
  return new Client(options.clientInfo ?? CHECK_CLIENT, {
    ...options.clientOptions,
    capabilities: options.capabilities ?? options.clientOptions?.capabilities ?? {},
  });
}

async function handshake(step: StepContext, client: Client, transport: Transport, how: string, log = () => ''): Promise<void> {
  try {
    await within(client.connect(transport, { timeout: ANSWER_TIMEOUT_MS }), ANSWER_TIMEOUT_MS + 500, () =>
      new Error(`no answer to initialize within ${ANSWER_TIMEOUT_MS / 1000} s`),
    );
  } catch (error) {
    const output = log();
    step.fail(
      `the server did not complete the MCP handshake ${how}: ${describeError(error)}` +
        (output ? `\n  what the server wrote to stderr:\n${indent(output)}` : ''),
    );
  }
}

/** A real Client connected to a server object in this process, over the SDK's in-memory transport. */
export async function connectInMemory(step: StepContext, server: Connectable, options: ConnectOptions = {}): Promise<Client> {
  return (await linkInMemory(step, server, options)).client;
}

/**
 * connectInMemory, also handing back the client's end of the transport (to send raw messages)
 * and taking a wrapper for the server's end (lesson 01 traces it).
 */
export async function linkInMemory(step: StepContext, server: Connectable, options: LinkOptions = {}) {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  try {
    await server.connect(options.wrapServerTransport ? options.wrapServerTransport(serverTransport) : serverTransport);
  } catch (error) {
    step.fail(`server.connect(transport) threw ${describeError(error)}`);
  }
  const client = newClient(options);
  cleanupAfterCheck(async () => {
    await client.close();
    await server.close();
  });
  await handshake(step, client, clientTransport, 'over the in-memory transport');
  return { client, clientTransport };
}

export type LinkOptions = ConnectOptions & { wrapServerTransport?: (transport: Transport) => Transport };

/**
 * The lesson's own server: calls the student's `createServer(options)` (exported by
 * `src/server.ts`, as every lesson's text says) and links a Client to it in memory. A missing
 * export or a createServer that throws fails the check with a message naming step and file.
 */
export async function connectServer<S extends Connectable = McpServer>(step: StepContext, options?: Record<string, unknown>, link: LinkOptions = {}) {
  const createServer = await step.fn<(options?: Record<string, unknown>) => S>('createServer', 'src/server.ts');
  const call = options ? `createServer({ ${Object.keys(options).join(', ')} })` : 'createServer()';
  const server = await step.run(call, () => (options ? createServer(options) : createServer()));
  return { server, ...(await linkInMemory(step, server, link)) };
}

/**
 * Under `npm run mutate`, the mutant Stryker activated in this thread must be active in the
 * spawned server too (Stryker's instrumented code reads it from this variable); the SDK's
 * default environment would drop it.
 */
function mutantEnv(): Record<string, string> {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  return active ? { __STRYKER_ACTIVE_MUTANT__: active } : {};
}

export interface StdioOptions extends ConnectOptions {
  env?: Record<string, string>;
}

/**
 * Spawns the lesson file as its own process (`node --import tsx FILE`) and connects a Client over
 * stdio. The server's stderr is kept for failure messages (`stderr()`).
 */
export async function connectStdio(step: StepContext, file: string, options: StdioOptions = {}) {
  const path = step.path(file);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: serverArgs(path),
    cwd: COURSE_ROOT,
    env: { ...getDefaultEnvironment(), ...mutantEnv(), ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = newClient(options);
  cleanupAfterCheck(() => client.close());
  await handshake(step, client, transport, `when started as \`node --import tsx ${displayPath(path)}\``, () => stderr.trim());
  return { client, stderr: () => stderr, pid: transport.pid };
}

/** A Client over Streamable HTTP to a server already listening at `url`. */
export async function connectHttp(
  step: StepContext,
  url: string | URL,
  options: ConnectOptions & { transport?: StreamableHTTPClientTransportOptions } = {},
) {
  const transport = new StreamableHTTPClientTransport(new URL(url), options.transport);
  const client = newClient(options);
  cleanupAfterCheck(() => client.close());
  await handshake(step, client, transport, `over Streamable HTTP at ${url}`);
  return { client, transport };
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(-15)
    .map((line) => `    | ${line}`)
    .join('\n');
}
