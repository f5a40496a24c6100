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

// TODO 1: search_tasks, with complex parameters
//   Register `search_tasks` in registerSearch below, with three optional inputs:
//   - filter: an object of optional fields, all combined (AND):
//       project   a project key (PROJECT_KEY_PATTERN)
//       status    an array of TASK_STATUSES      priority  an array of TASK_PRIORITIES
//       labels    an array of strings (tasks carrying every one of them)
//       assignee  a string (a handle, like "ana")
//       due       { after, before }: two optional ISO dates (z.iso.date()), both ends included
//   - cursor: a string, the nextCursor of the previous page.
//   - limit: a whole number from 1 to MAX_LIMIT, default DEFAULT_LIMIT.
//   .describe(…) every field, nested ones too: the descriptions are all a model sees.
//   The handler (inside runTool) asks store.listTasks(…) (its TaskFilter calls the due range
//   dueAfter / dueBefore), keeps one page of `limit` tasks from the cursor's position, and answers
//   with the page as JSON text: { content: [{ type: 'text', text: JSON.stringify(page) }] }
//   where page = { tasks: [...], nextCursor?: string }. Leave nextCursor out on the last page.
//   Make the cursor opaque (base64url of a small JSON, say) and refuse one you did not issue:
//   throw new TaskboardError('INVALID_INPUT', '…what to do instead…').
//
// TODO 2: structured output
//   Declare `outputSchema` for the page ({ tasks: array of task objects with at least their id,
//   nextCursor: optional string }) and return the page as `structuredContent` too, keeping the
//   JSON text as the fallback for clients that only read text. The Client checks
//   structuredContent against outputSchema, extra keys included: return exactly what you declare.
//
// TODO 3: annotations for search_tasks (see src/server.ts): it only reads, and only the board.
export function registerSearch(server: McpServer, store: TaskboardStore): void {
  void server;
  void store;
}
