import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  PROJECT_KEY_PATTERN,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TaskboardError,
  type Task,
  type TaskboardStore,
  type TaskFilter,
} from '../../../taskboard/index.js';
import { runTool } from './errors.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

// Lesson 03, step 1: complex parameters
/** What search_tasks filters on. Every field is optional; together they narrow the search (AND). */
const SearchFilter = z.object({
  project: z.string().regex(PROJECT_KEY_PATTERN).optional().describe('Only tasks of this project, by key, for example "WEB".'),
  status: z
    .array(z.enum(TASK_STATUSES))
    .min(1)
    .optional()
    .describe('Only tasks whose status is one of these, for example ["todo", "in_progress"] for open work.'),
  priority: z
    .array(z.enum(TASK_PRIORITIES))
    .min(1)
    .optional()
    .describe('Only tasks whose priority is one of these, for example ["high", "urgent"].'),
  labels: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Only tasks carrying every one of these labels, for example ["bug"].'),
  assignee: z.string().min(1).optional().describe('Only tasks assigned to this person, by handle, for example "ana".'),
  due: z
    .object({
      after: z.iso.date().optional().describe('Due on or after this day, as YYYY-MM-DD.'),
      before: z.iso.date().optional().describe('Due on or before this day, as YYYY-MM-DD.'),
    })
    .optional()
    .describe('Only tasks with a due date in this range (both ends included). Tasks without a due date never match.'),
});
type SearchFilter = z.infer<typeof SearchFilter>;

// Lesson 03, step 2: structured output
/** One task in a search result: what a model needs to pick a task, without its comments. */
const TaskSummary = z.object({
  id: z.string().describe('Task id, for example "WEB-12".'),
  project: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assignee: z.string().nullable(),
  labels: z.array(z.string()),
  dueDate: z.string().nullable().describe('YYYY-MM-DD, or null.'),
});

const SearchPage = {
  tasks: z.array(TaskSummary).describe('The tasks on this page, oldest first.'),
  total: z.number().int().describe('How many tasks match the filter, on all pages together.'),
  nextCursor: z.string().optional().describe('Pass as `cursor` to get the next page; absent on the last page.'),
};

export function registerSearch(server: McpServer, store: TaskboardStore): void {
  server.registerTool(
    'search_tasks',
    {
      title: 'Search tasks',
      description:
        'Find tasks across projects by status, priority, labels, assignee and due date. ' +
        `Results come in pages of \`limit\` tasks (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}); ` +
        'when the answer has a nextCursor, call again with the same filter and that cursor for the next page.',
      inputSchema: {
        filter: SearchFilter.default({}).describe('Which tasks to return. Leave it out to get every task.'),
        cursor: z
          .string()
          .min(1)
          .optional()
          .describe('The nextCursor of the previous page, as it was given; leave it out for the first page.'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_LIMIT)
          .default(DEFAULT_LIMIT)
          .describe(`How many tasks per page, 1 to ${MAX_LIMIT}.`),
      },
      outputSchema: SearchPage,
      // Lesson 03, step 3: it only reads, and only this board
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ filter, cursor, limit }) =>
      runTool(() => {
        const matches = store.listTasks(toTaskFilter(filter));
        const offset = cursor === undefined ? 0 : decodeCursor(cursor, filter);
        const tasks = matches.slice(offset, offset + limit).map(summarize);
        const end = offset + tasks.length;
        const page: z.infer<z.ZodObject<typeof SearchPage>> = { tasks, total: matches.length };
        if (end < matches.length) page.nextCursor = encodeCursor(end, filter);
        return {
          // The text is the fallback for clients that do not read structuredContent: the same page, as JSON.
          content: [{ type: 'text', text: JSON.stringify(page) }],
          structuredContent: page,
        };
      }),
  );
}

function toTaskFilter(filter: SearchFilter): TaskFilter {
  return {
    project: filter.project,
    status: filter.status,
    priority: filter.priority,
    labels: filter.labels,
    assignee: filter.assignee,
    dueAfter: filter.due?.after,
    dueBefore: filter.due?.before,
  };
}

function summarize(task: Task): z.infer<typeof TaskSummary> {
  const { id, project, title, status, priority, assignee, labels, dueDate } = task;
  return { id, project, title, status, priority, assignee, labels, dueDate };
}

/**
 * Cursors are opaque to the client: base64url JSON holding where the next page starts and which
 * filter it belongs to, so a cursor used with another filter is refused instead of skipping tasks.
 */
const CursorData = z.object({ offset: z.number().int().min(0), filter: z.string() });

function encodeCursor(offset: number, filter: SearchFilter): string {
  return Buffer.from(JSON.stringify({ offset, filter: JSON.stringify(filter) })).toString('base64url');
}

function decodeCursor(cursor: string, filter: SearchFilter): number {
  let data: z.infer<typeof CursorData> | undefined;
  try {
    data = CursorData.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    data = undefined;
  }
  if (!data) {
    throw new TaskboardError('INVALID_INPUT', 'This cursor is not one search_tasks gave out. Leave cursor out to start again from the first page.');
  }
  if (data.filter !== JSON.stringify(filter)) {
    throw new TaskboardError('INVALID_INPUT', 'This cursor belongs to a search with another filter. Repeat the filter of the first page, or leave cursor out to start again.');
  }
  return data.offset;
}
