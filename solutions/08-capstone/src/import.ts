import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ImportItem, SqliteStore, StoredTask } from './store.js';

// Area R-PROG: progress and cancellation of import_tasks
/**
 * Runs an import for a tools/call: progress notifications when (and only when) the request
 * carries a progressToken, and the request's AbortSignal handed to the store, whose transaction
 * rolls back when it fires (a notifications/cancelled, or the client's AbortSignal).
 */
export async function importWithProgress(
  store: SqliteStore,
  project: string,
  items: readonly ImportItem[],
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): Promise<StoredTask[]> {
  // 0 is a token like any other: test for undefined, not for truthiness.
  const progressToken = extra._meta?.progressToken;
  return store.importTasks(project, items, {
    signal: extra.signal,
    onProgress:
      progressToken === undefined
        ? undefined
        : (done, total) =>
            // Related to the request: over HTTP it travels on the request's own stream.
            extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: done, total, message: `Imported ${done} of ${total} into ${project}` } }),
  });
}
