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
  // Lesson 03, step 5: import_tasks, with progress and log messages (the logging capability is declared in src/server.ts)
  server.registerTool(
    'import_tasks',
    {
      title: 'Import tasks',
      description:
        'Create many tasks in one project at once. All or nothing: if the import fails or is cancelled, none of its tasks is created. ' +
        'Reports progress per task to clients that ask for it.',
      inputSchema: {
        project: z.string().regex(PROJECT_KEY_PATTERN).describe('Key of the project to import into, for example "WEB".'),
        tasks: z.array(ImportItem).min(1).max(MAX_IMPORT).describe(`The tasks to create, 1 to ${MAX_IMPORT}, in order.`),
      },
      // Adds tasks only; running the same import twice creates them twice.
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ project, tasks }, extra) =>
      runTool(async () => {
        store.getProject(project); // an unknown project fails before any work, with the known keys
        const total = tasks.length;
        const progressToken = extra._meta?.progressToken;
        const log = (level: 'info' | 'warning', data: string) =>
          server.sendLoggingMessage({ level, logger: 'import_tasks', data }, extra.sessionId);

        await log('info', `Importing ${total} tasks into ${project}.`);
        // Lesson 03, step 6: prepare every item into a staging list; nothing reaches the store until all are ready.
        const staged: NewTask[] = [];
        for (const [index, item] of tasks.entries()) {
          await options.beforeEachItem?.(index);
          if (extra.signal.aborted) {
            await log('warning', `Import cancelled after ${index} of ${total} tasks; nothing was created.`);
            return toolError(`The import was cancelled; none of its ${total} tasks was created.`);
          }
          staged.push({ project, ...item });
          // Lesson 03, step 5: progress only for a client that asked for it (it sent a progressToken).
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: index + 1, total, message: `Prepared ${index + 1} of ${total}: ${item.title}` },
            });
          }
        }

        const created = commit(store, staged);
        await log('info', `Imported ${created.length} tasks into ${project}: ${created[0]?.id} to ${created.at(-1)?.id}.`);
        return toolResult(`Imported ${created.length} tasks into ${project}:\n${created.map((t) => `${t.id} (${t.priority}) ${t.title}`).join('\n')}`);
      }),
  );
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
