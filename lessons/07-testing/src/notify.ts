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

// Step 6: an outbound call with the server's own credential
/**
 * notify_team posts a message about a task to the team's webhook. It authenticates as *this
 * server*, with the credential it was started with: never with the caller's token (that token
 * was issued for us, not for the webhook: passing it on is token passthrough, and would let a
 * caller act upstream with our authority: the confused deputy). The credential, and whatever
 * the upstream answers, never reach the caller: a failing webhook gets a status code only.
 */
export function registerNotify(server: McpServer, store: TaskboardStore, upstream: UpstreamOptions | undefined): void {
  if (!upstream) return;
  const { url, token } = upstream;
  server.registerTool(
    'notify_team',
    {
      title: 'Notify the team',
      description: "Post a message about a task to the team's notification channel.",
      inputSchema: {
        task: z.string().regex(TASK_ID_PATTERN).describe('Id of the task the message is about, for example "WEB-12".'),
        message: z.string().min(1).max(1000).describe('What to tell the team.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ task: id, message }) =>
      runTool(async () => {
        const task = store.getTask(id);
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ task: task.id, title: task.title, text: message }),
          signal: AbortSignal.timeout(5_000),
        });
        // The answer's body may quote our request (credential included): never pass it on.
        await response.body?.cancel();
        if (!response.ok) return toolError(`The notification service answered ${response.status}; the team was not notified. Try again later.`);
        return toolResult(`Notified the team about ${task.id}.`);
      }),
  );
}
