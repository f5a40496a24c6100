import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

export type LogLevel = LoggingLevel;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warning(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

// TODO 11: R-LOG (SPEC.md). Logs for the operator: one JSON object per line on stderr (time,
// level, msg), one line per tools/call (tool, outcome, durationMs), never a key or a header.
// Logs for the client: declare logging in the McpServer constructor, honour logging/setLevel,
// and send notifications/message about each write (lesson 07, step 5).
export function createLogger(): Logger {
  throw new Error('TODO 11: structured logs on stderr (SPEC.md, R-LOG-1)');
}
