import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Caller } from './status.js';
import type { SqliteStore } from './store.js';

export const SERVER_NAME = 'taskboard';
export const SERVER_VERSION = '8.0.0';

export interface ServerOptions {
  store: SqliteStore;
  /** Who calls when the transport carries no credential (stdio: the local user, every scope). */
  localCaller: Caller;
}

/** One McpServer for one connection (a stdio process, or one HTTP session). */
export function createServer(_options: ServerOptions): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

  // TODO 3: R-TOOLS (SPEC.md): create_project, create_task, list_tasks, set_status, import_tasks.

  // TODO 4: R-RES (SPEC.md): taskboard://tasks/{id}, and subscriptions to it.

  // TODO 5: R-PROMPT (SPEC.md): the triage prompt.

  return server;
}
