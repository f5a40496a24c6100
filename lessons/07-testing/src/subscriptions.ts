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
  // Lesson 04, step 6: subscriptions
  // One McpServer serves one client, so this set is that client's subscriptions.
  const subscribed = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  const stopListening = store.subscribe((event) => {
    if (!server.isConnected()) return;
    for (const uri of changedBy(event)) {
      if (subscribed.has(uri)) {
        // A notification that cannot be delivered (the client just left) is nobody's error.
        server.server.sendResourceUpdated({ uri }).catch(() => {});
      }
    }
    // Lesson 04, step 7: list_changed
    // resources/list names every project and task, so a new project, a new task or a deleted
    // task changes the list. (An updated task does not: its URI stays the same.)
    if (event.type !== 'task-updated') server.sendResourceListChanged();
  });

  // Stop listening to the store when the client goes, keeping any onclose set before us.
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stopListening();
    previousOnClose?.();
  };
}

/** The resource URIs whose contents a store event changes. */
function changedBy(event: StoreEvent): string[] {
  const task = event.type === 'task-created' || event.type === 'task-updated' ? event.task : undefined;
  const taskId = task?.id ?? (event.type === 'task-deleted' ? event.taskId : undefined);
  if (taskId === undefined) return [];
  const key = taskId.slice(0, taskId.lastIndexOf('-'));
  return [taskUri(taskId), projectUri(key), summaryUri(key), badgeUri(key)];
}
