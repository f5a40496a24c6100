import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  createDemoStore,
  isTaskboardError,
  PROJECT_KEY_PATTERN,
  TASK_ID_PATTERN,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type Task,
  type TaskboardStore,
} from '../../../taskboard/index.js';

export interface ServerOptions {
  /** The Taskboard to serve; a demo board when omitted. */
  store?: TaskboardStore;
}

// TODO 1: scaffold the server
//   Create the McpServer with the name "taskboard", a version of your choosing, and
//   `instructions`: a sentence or two telling a model what this server is for and how to use
//   its tools. (Second argument of the McpServer constructor.)
export function createServer(options: ServerOptions = {}): McpServer {
  const store = options.store ?? createDemoStore();
  const server = new McpServer({ name: 'replace-me', version: '0.0.0' });

  // TODO 2: create_task
  //   server.registerTool('create_task', { title, description, inputSchema }, handler)
  //   Inputs: project (a project key, PROJECT_KEY_PATTERN), title (1–200 characters),
  //   description (optional), priority (one of TASK_PRIORITIES, default "medium").
  //   Describe every input with .describe(…): the model reads those descriptions.
  //   The handler calls store.createTask(…) and answers with text that includes the new id.

  // TODO 3: list_tasks
  //   Inputs: project (required), status (optional, one of TASK_STATUSES).
  //   Answer with one line per task (describeTask below helps); every task id must appear.
  //   With no tasks to show, answer with a short sentence: an empty text tells a model nothing.
  //   An unknown project is a tool error, as in step 4, not an empty listing.

  // TODO 4: complete_task
  //   Input: id (a task id, TASK_ID_PATTERN). Calls store.completeTask(id).
  //   The store throws a TaskboardError for an unknown id or a task that is already done:
  //   catch it and return it as a tool error ({ isError: true, content: [...] }) whose text
  //   says what went wrong, so the model can correct itself. Let other errors propagate.

  void store; // remove once your tools use the store
  return server;
}

/** One line per task, for tool answers: "WEB-3 [todo] (high) Fix the signup link". */
export function describeTask(task: Task): string {
  return `${task.id} [${task.status}] (${task.priority}) ${task.title}`;
}
