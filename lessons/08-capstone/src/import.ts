import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ImportItem, SqliteStore, StoredTask } from './store.js';

// TODO 12: R-PROG (SPEC.md). import_tasks for a tools/call: notifications/progress (with total)
// when the request carries a progressToken and none without one; the request's AbortSignal
// (extra.signal) rolls the import's transaction back, so a cancelled import leaves nothing.
export async function importWithProgress(
  _store: SqliteStore,
  _project: string,
  _items: readonly ImportItem[],
  _extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): Promise<StoredTask[]> {
  throw new Error('TODO 12: progress and cancellation of import_tasks (SPEC.md, R-PROG)');
}
