import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LoggingLevelSchema, SetLevelRequestSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

/**
 * Two audiences, two channels (lesson 07, step 5):
 * - the operator reads stderr: one JSON object per line ({ time, level, msg, ...fields }), so a log
 *   collector can parse, filter and search it. Never stdout: over stdio that is the protocol.
 * - the connected client gets MCP `notifications/message`, at or above the level it chose with
 *   `logging/setLevel`.
 * Neither ever carries a secret: log names and ids, never arguments, headers or tokens.
 */
export type LogLevel = LoggingLevel;
export const LOG_LEVELS: readonly LogLevel[] = LoggingLevelSchema.options;
const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warning(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

// Area R-LOG: structured logs on stderr, and MCP logging to the client
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    // time, level and msg come last so a field can never overwrite them.
    write(`${JSON.stringify({ ...fields, time: new Date().toISOString(), level, msg })}\n`);
  };
  return { log, info: (m, f) => log('info', m, f), warning: (m, f) => log('warning', m, f), error: (m, f) => log('error', m, f) };
}

/** The process's logger: stderr. */
export const logger: Logger = createLogger();

/** How a tools/call ended, as its log line says. */
export type Outcome = 'ok' | 'tool_error' | 'error' | 'cancelled';

/** The one line every tools/call leaves on stderr: which tool, for whom, how it ended, how long it took. */
export function logToolCall(fields: { tool: string; caller: string; outcome: Outcome; durationMs: number; session?: string }): void {
  const level: LogLevel = fields.outcome === 'error' ? 'error' : 'info';
  logger.log(level, 'tools/call', { ...fields, durationMs: Math.round(fields.durationMs * 10) / 10 });
}

/**
 * MCP logging for one McpServer (one connection): remembers the level the client set with
 * logging/setLevel and sends `notifications/message` at or above it. The message goes out with
 * the request it is about (`send` is the handler's extra.sendNotification), so over HTTP it
 * travels on that request's stream, ahead of the answer.
 * The McpServer must declare `capabilities: { logging: {} }` in its constructor: declared later,
 * the SDK never installs logging/setLevel and a client gets -32601.
 */
export function clientLog(server: McpServer) {
  let level: LogLevel | undefined;
  // Replaces the SDK's handler (which keys levels by session id) with one level for this server:
  // there is one McpServer per connection, so this is the connection's level.
  server.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    level = request.params.level;
    return {};
  });
  return {
    async send(send: (n: { method: 'notifications/message'; params: { level: LogLevel; logger: string; data: unknown } }) => Promise<void>, at: LogLevel, data: Record<string, unknown>): Promise<void> {
      if (level !== undefined && rank(at) < rank(level)) return;
      // A message that cannot be delivered (the client just left) is nobody's error.
      await send({ method: 'notifications/message', params: { level: at, logger: 'taskboard', data } }).catch(() => undefined);
    },
  };
}
