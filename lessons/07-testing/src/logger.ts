import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StoreEvent, TaskboardStore } from '../../../taskboard/index.js';
import { LOG_LEVELS, type LogLevel } from './config.js';

/**
 * Two audiences, two channels:
 * - the operator reads stderr: one JSON object per line ({ time, level, msg, ...fields }), so a log
 *   collector can parse, filter and search it. Never stdout: over stdio that is the protocol.
 * - the connected client gets MCP `notifications/message`, at the level it chose with
 *   `logging/setLevel` (McpServer's sendLoggingMessage drops what is below it).
 */
export interface Logger {
  readonly level: LogLevel;
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warning(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** The least severe level written; `info` when omitted. */
  level?: LogLevel;
  /** Where lines go: stderr when omitted (tests pass their own). */
  write?: (line: string) => void;
}

/** A level's rank: a logger writes the levels at or above its own. */
export const severity = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

// Step 5: JSON lines on stderr
export function createLogger({ level = 'info', write = (line) => process.stderr.write(line) }: LoggerOptions = {}): Logger {
  // TODO 5: write one JSON object per line: { ...fields, time (ISO 8601), level, msg }, and
  // nothing for a level below `level`. For now: plain text, every level.
  const log = (at: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    write(`taskboard ${at}: ${msg} ${Object.keys(fields).length ? JSON.stringify(fields) : ''}\n`);
  };
  return {
    level,
    log,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warning: (msg, fields) => log('warning', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

/** A logger that writes nothing: the default for servers built in tests. */
export const silentLogger: Logger = createLogger({ write: () => {} });

/** What a store event says, at which level: deleting is worth a warning, it cannot be undone. */
export function describeEvent(event: StoreEvent): { level: LogLevel; msg: string; fields: Record<string, unknown> } {
  switch (event.type) {
    case 'task-created':
      return { level: 'info', msg: 'task created', fields: { task: event.task.id, project: event.task.project } };
    case 'task-updated':
      return { level: 'info', msg: 'task updated', fields: { task: event.task.id, status: event.task.status } };
    case 'task-deleted':
      return { level: 'warning', msg: 'task deleted', fields: { task: event.taskId } };
    case 'project-created':
      return { level: 'info', msg: 'project created', fields: { project: event.project.key } };
  }
}

// Step 5: every change to the board, to the operator (once per process) and to each client
/** Writes each change to the board to the operator's log (stderr). Call it once per process. */
export function logStoreEvents(store: TaskboardStore, logger: Logger): () => void {
  // TODO 5: subscribe to the store; log each event with describeEvent(event)'s level, msg and fields.
  void store;
  void logger;
  return () => {};
}

/**
 * Sends each change to the board to this server's client as an MCP log message (logger
 * "taskboard", data { msg, ...fields }); McpServer drops it when it is below the level the client
 * chose with logging/setLevel. createServer calls it; the logging capability is declared there.
 */
export function forwardStoreEvents(server: McpServer, store: TaskboardStore): void {
  // TODO 5: subscribe to the store; while the server is connected, send each event with
  // server.sendLoggingMessage({ level, logger: 'taskboard', data: { msg, ...fields } }) (catch its
  // promise); stop listening when the client goes (server.server.onclose, keeping the previous one).
  void server;
  void store;
}
