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
  const log = (at: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (severity(at) < severity(level)) return;
    // time, level and msg come last so a field can never overwrite them.
    write(`${JSON.stringify({ ...fields, time: new Date().toISOString(), level: at, msg })}\n`);
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
  return store.subscribe((event) => {
    const { level, msg, fields } = describeEvent(event);
    logger.log(level, msg, fields);
  });
}

/**
 * Sends each change to the board to this server's client as an MCP log message (logger
 * "taskboard", data { msg, ...fields }); McpServer drops it when it is below the level the client
 * chose with logging/setLevel. createServer calls it; the logging capability is declared there.
 */
export function forwardStoreEvents(server: McpServer, store: TaskboardStore): void {
  const stop = store.subscribe((event) => {
    if (!server.isConnected()) return;
    const { level, msg, fields } = describeEvent(event);
    // A message that cannot be delivered (the client just left) is nobody's error.
    server.sendLoggingMessage({ level, logger: 'taskboard', data: { msg, ...fields } }).catch(() => {});
  });
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previousOnClose?.();
  };
}
