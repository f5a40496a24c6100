import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createDemoStore, TASK_PRIORITIES, TaskboardStore } from '../../../taskboard/index.js';

/**
 * Everything the server can be told, from the environment, checked once at start.
 * A deployment (a container, a client's config file, CI) sets variables, never flags, and a
 * wrong value must stop the server before it answers anything, with one line that says which
 * variable is wrong and why.
 */

/** The MCP logging levels (RFC 5424 names, as `logging/setLevel` uses them), least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// Step 4: the variables, their defaults and limits (see the README's table)
//   TASKBOARD_TRANSPORT   stdio | http                     default stdio
//   TASKBOARD_HOST        a non-empty string                default 127.0.0.1
//   TASKBOARD_PORT        an integer from 0 to 65535        default 3000
//   TASKBOARD_LOG_LEVEL   one of LOG_LEVELS                 default info
//   TASKBOARD_DATA        a path (optional)
//   TASKBOARD_SHUTDOWN_MS an integer from 0 to 600000       default 10000
//   TASKBOARD_ESTIMATE_DELAY_MS  an integer from 0 to 600000  default 150
//   TASKBOARD_WEBHOOK_TOKEN     a non-empty string (optional; lesson 06: the credential the
//                                server uses upstream: never logged, never quoted in an error)

export interface Config {
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  logLevel: LogLevel;
  dataPath: string | undefined;
  shutdownMs: number;
  estimateDelayMs: number;
  webhookToken: string | undefined;
}

/** A configuration the server cannot start with; its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The configuration in `env` (process.env by default), or a ConfigError naming every bad
 * variable with what it got and what it wants. Empty strings count as unset.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // TODO 4: validate `env` with a zod schema (z.object({ TASKBOARD_PORT: z.coerce.number()… }))
  // using safeParse. An empty variable counts as unset. On failure, throw a ConfigError whose
  // message names each bad variable (never the token's value). For now: the defaults, whatever
  // the environment says.
  void env;
  return {
    transport: 'stdio',
    host: '127.0.0.1',
    port: 3000,
    logLevel: 'info',
    dataPath: undefined,
    shutdownMs: 10_000,
    estimateDelayMs: 150,
    webhookToken: undefined,
  };
}

// Step 4: the board to serve, from TASKBOARD_DATA
const Board = z.object({
  projects: z.array(z.object({ key: z.string(), name: z.string(), description: z.string().optional() })),
  tasks: z
    .array(
      z.object({
        project: z.string(),
        title: z.string(),
        description: z.string().optional(),
        priority: z.enum(TASK_PRIORITIES).optional(),
        labels: z.array(z.string()).optional(),
        assignee: z.string().optional(),
        dueDate: z.string().optional(),
      }),
    )
    .default([]),
});

/**
 * The store to serve: the board in the JSON file `path` ({ projects: [...], tasks: [...] }), or
 * the demo board when there is none. A file that cannot be read or is not a board is a
 * ConfigError naming TASKBOARD_DATA, like any other bad setting.
 */
export function loadBoard(path: string | undefined): TaskboardStore {
  if (path === undefined) return createDemoStore();
  let data: z.infer<typeof Board>;
  try {
    data = Board.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s*\n\s*/g, ' ') : error instanceof Error ? error.message : String(error);
    throw new ConfigError(`invalid configuration: TASKBOARD_DATA ("${path}") is not a readable board: ${reason}`);
  }
  const store = new TaskboardStore();
  try {
    for (const project of data.projects) store.createProject(project);
    for (const task of data.tasks) store.createTask(task);
  } catch (error) {
    throw new ConfigError(`invalid configuration: TASKBOARD_DATA ("${path}"): ${error instanceof Error ? error.message : String(error)}`);
  }
  return store;
}
