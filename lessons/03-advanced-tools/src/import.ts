import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  PROJECT_KEY_PATTERN,
  TASK_PRIORITIES,
  type NewTask,
  type Task,
  type TaskboardStore,
} from '../../../taskboard/index.js';
import { runTool, toolError, toolResult } from './errors.js';

export const MAX_IMPORT = 200;

export interface ImportOptions {
  /**
   * Awaited before each item of an import, with the item's index: where per-item work goes
   * (fetching, validating, enriching), and the hook the checks use to pause an import.
   */
  beforeEachItem?: (index: number) => Promise<void> | void;
}

/** One task of an import. */
const ImportItem = z.object({
  title: z.string().trim().min(1).max(200).describe('One line saying what needs doing.'),
  description: z.string().max(5000).optional().describe('Details, acceptance criteria, links.'),
  priority: z.enum(TASK_PRIORITIES).default('medium').describe('How urgent the task is.'),
  labels: z.array(z.string().min(1)).optional().describe('Labels, for example ["bug"].'),
  assignee: z.string().min(1).optional().describe('Handle of the person doing it, for example "ana".'),
  dueDate: z.iso.date().optional().describe('Due day, as YYYY-MM-DD.'),
});

export function registerImport(server: McpServer, store: TaskboardStore, options: ImportOptions = {}): void {
  // TODO 5: import_tasks, with progress and log messages
  //   (First declare the logging capability in src/server.ts: see TODO 5 there.)
  //   Register `import_tasks`: inputs `project` (PROJECT_KEY_PATTERN) and `tasks` (an array of
  //   ImportItem, 1 to MAX_IMPORT), annotated truthfully (step 3). The handler takes
  //   (args, extra) and, inside runTool, creates the tasks in order, and:
  //   - only if the client sent a token (extra._meta?.progressToken), after each item sends
  //       extra.sendNotification({ method: 'notifications/progress',
  //         params: { progressToken, progress: <items done>, total: <number of items> } })
  //   - logs at least once with server.sendLoggingMessage({ level: 'info', logger: 'import_tasks',
  //       data: '…' }, extra.sessionId)
  //   and answers with the ids it created.
  //
  // TODO 6: cancellation, all or nothing
  //   Before each item, `await options.beforeEachItem?.(index)`, then check extra.signal.aborted:
  //   if the client cancelled, stop and return toolError(…) without leaving a single task of this
  //   import in the store. Easiest: collect the prepared items in a `staged: NewTask[]` list and
  //   create them all only after the loop; or delete the ones you created when you stop.
  void server;
  void store;
  void options;
}

/** Creates the staged tasks; if the store refuses one, deletes those already created (all or nothing). */
export function commit(store: TaskboardStore, staged: NewTask[]): Task[] {
  const created: Task[] = [];
  try {
    for (const task of staged) created.push(store.createTask(task));
    return created;
  } catch (error) {
    for (const task of created) store.deleteTask(task.id);
    throw error;
  }
}
