import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TASK_ID_PATTERN, type TaskboardStore } from '../../../taskboard/index.js';
import { runTool, toolError, toolResult } from './errors.js';

/** The upstream notification service and the server's own credential for it. */
export interface UpstreamOptions {
  /** The webhook to POST notifications to. */
  url: string;
  /** The server's credential, sent as `Authorization: Bearer …`; read once, at start. */
  token: string;
}

// TODO 6 (b): register notify_team (see the README for its arguments). It POSTs JSON about the
//   task to upstream.url with `Authorization: Bearer ${upstream.token}`: the credential it was
//   given at start, never process.env at call time, never the caller's token. A failing
//   upstream gives a tool error with the status code only, never the upstream's answer.
export function registerNotify(server: McpServer, store: TaskboardStore, upstream: UpstreamOptions | undefined): void {
  void [server, store, upstream, z, TASK_ID_PATTERN, runTool, toolError, toolResult];
}
