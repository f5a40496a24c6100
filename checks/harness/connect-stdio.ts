import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { displayPath, fileExists } from '../../common/paths.js';
import { handshake, newClient, type ConnectOptions } from './client.js';
import { processTree, stopTree } from './process-tree.js';
import { startupProblem } from './quote.js';
import { ProcessStdioTransport, startServerProcess } from './server-process.js';
import type { StepContext } from './step-context.js';
import { cleanupAfterCheck } from './teardown.js';

/**
 * Under `npm run mutate`, the mutant Stryker activated in this thread must be active in the
 * spawned server too (Stryker's instrumented code reads it from this variable; course/mutate/
 * setup.ts sets it); the SDK's default environment would drop it.
 */
function mutantEnv(): Record<string, string> {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  return active ? { __STRYKER_ACTIVE_MUTANT__: active } : {};
}

export interface StdioOptions extends ConnectOptions {
  env?: Record<string, string>;
}

/**
 * Starts the lesson file as its own process (`node --import tsx FILE`, see server-process.ts) and
 * connects a Client over stdio. The server's stderr is kept for failure messages (`stderr()`). When the check ends, the
 * server and every process it started are stopped (a child it spawned would outlive it).
 */
export async function connectStdio(step: StepContext, file: string, options: StdioOptions = {}) {
  const path = step.path(file);
  const shown = displayPath(path);
  if (!fileExists(path)) step.fail(`${shown} is missing. Run \`npm run reset ${step.meta.number}\` to restore the starter.`);
  // The environment the SDK's StdioClientTransport would give it (its safe default variables).
  const child = startServerProcess(path, { ...getDefaultEnvironment(), ...mutantEnv(), ...options.env });
  const transport = new ProcessStdioTransport(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = newClient(options);
  // Its exit code is what a student needs when the server ends before answering, where the
  // client only says "Connection closed".
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  let tree: number[] = [];
  cleanupAfterCheck(async () => {
    // Gathered before closing: once the server is gone, its children are adopted by PID 1.
    tree = child.pid ? processTree(child.pid) : tree;
    await client.close();
    await stopTree(tree);
  });
  await handshake(step, client, transport, `when started as \`node --import tsx ${shown}\``, () => stderr.trim(), () => {
    const problem = startupProblem(stderr);
    if (problem) return `${shown} ${problem}:`;
    if (exit) return `${shown} exited (${exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal}`}) before answering initialize.`;
    return undefined;
  });
  return { client, stderr: () => stderr, pid: child.pid };
}
