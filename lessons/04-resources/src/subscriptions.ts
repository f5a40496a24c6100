import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { StoreEvent, TaskboardStore } from '../../../taskboard/index.js';
import { badgeUri, projectUri, summaryUri, taskUri } from './resources.js';

/**
 * Tells the connected client when resources change: `notifications/resources/updated` for the
 * URIs it subscribed to, `notifications/resources/list_changed` when resources appear or go.
 * Call it before `connect()`: capabilities cannot change once the handshake is done.
 */
export function registerSubscriptions(server: McpServer, store: TaskboardStore): void {
  // TODO 6: subscriptions
  //   1. Declare the capability: server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } }).
  //   2. Keep this client's subscribed URIs in a Set<string>; handle resources/subscribe and
  //      resources/unsubscribe on the low-level server:
  //        server.server.setRequestHandler(SubscribeRequestSchema, (request) => { …request.params.uri…; return {}; })
  //      and the same with UnsubscribeRequestSchema.
  //   3. Learn of changes with store.subscribe((event) => …). For each URI in changedBy(event)
  //      (below: the task, its project, summary and badge) that is subscribed, send
  //      server.server.sendResourceUpdated({ uri }) (it returns a promise: add .catch(() => {})).
  //      Only subscribed URIs, and none after the client unsubscribed.
  //   4. store.subscribe returns a function that stops listening: call it when the client goes,
  //      from server.server.onclose (keep any onclose that was set before yours).

  // TODO 7: list_changed
  //   In the same store listener: a new project, a new task or a deleted task changes what
  //   resources/list returns, so call server.sendResourceListChanged() for the event types
  //   'project-created', 'task-created' and 'task-deleted'.
}

/** The resource URIs whose contents a store event changes. */
function changedBy(event: StoreEvent): string[] {
  const task = event.type === 'task-created' || event.type === 'task-updated' ? event.task : undefined;
  const taskId = task?.id ?? (event.type === 'task-deleted' ? event.taskId : undefined);
  if (taskId === undefined) return [];
  const key = taskId.slice(0, taskId.lastIndexOf('-'));
  return [taskUri(taskId), projectUri(key), summaryUri(key), badgeUri(key)];
}
