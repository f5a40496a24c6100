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
import { registerFindTask } from './find-task.js';
import { registerResources } from './resources.js';
import { registerSubscriptions } from './subscriptions.js';

export interface ServerOptions {
  /** The Taskboard to serve; a demo board when omitted. */
  store?: TaskboardStore;
}

export function createServer(options: ServerOptions = {}): McpServer {
  const store = options.store ?? createDemoStore();
  const server = new McpServer(
    { name: 'taskboard', version: '0.4.0' },
    {
      instructions:
        'Taskboard tracks projects (keys like WEB) and their tasks (ids like WEB-12). Read taskboard://guide first. ' +
        'Projects and tasks are resources (taskboard://projects/WEB, taskboard://projects/WEB/tasks/WEB-12); use find_task to get links to tasks, list_tasks to find ids before you complete a task.',
    },
  );

  // create_task, list_tasks, complete_task: from lesson 02
  server.registerTool(
    'create_task',
    {
      title: 'Create task',
      description: 'Create a task in a project. Returns the new task with its id (like WEB-12).',
      inputSchema: {
        project: z.string().regex(PROJECT_KEY_PATTERN).describe('Key of the project, for example "WEB".'),
        title: z.string().min(1).max(200).describe('One line saying what needs doing.'),
        description: z.string().max(5000).optional().describe('Details, acceptance criteria, links.'),
        priority: z.enum(TASK_PRIORITIES).default('medium').describe('How urgent the task is.'),
      },
    },
    async ({ project, title, description, priority }) =>
      runDomain(() => {
        const task = store.createTask({ project, title, description, priority });
        return `Created ${describeTask(task)}`;
      }),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description: 'List the tasks of a project, optionally only those with one status.',
      inputSchema: {
        project: z.string().regex(PROJECT_KEY_PATTERN).describe('Key of the project, for example "WEB".'),
        status: z.enum(TASK_STATUSES).optional().describe('Only tasks with this status.'),
      },
    },
    async ({ project, status }) =>
      runDomain(() => {
        const tasks = store.listTasks({ project, status: status ? [status] : undefined });
        if (tasks.length === 0) return `No ${status ?? ''} tasks in ${project}.`.replace('  ', ' ');
        return tasks.map(describeTask).join('\n');
      }),
  );

  server.registerTool(
    'complete_task',
    {
      title: 'Complete task',
      description: 'Mark a task as done.',
      inputSchema: {
        id: z.string().regex(TASK_ID_PATTERN).describe('Id of the task, for example "WEB-12".'),
      },
    },
    async ({ id }) => runDomain(() => `Completed ${describeTask(store.completeTask(id))}`),
  );

  // This lesson: resources (src/resources.ts), their notifications (src/subscriptions.ts) and
  // a tool that answers with links to them (src/find-task.ts).
  registerResources(server, store);
  registerSubscriptions(server, store);
  registerFindTask(server, store);

  return server;
}

/** One line per task, for tool answers: "WEB-3 [todo] (high) Fix the signup link". */
export function describeTask(task: Task): string {
  return `${task.id} [${task.status}] (${task.priority}) ${task.title}`;
}

/**
 * Runs a domain action for a tool: its text on success; a domain failure becomes a tool error
 * (`isError: true`) whose text tells the model how to recover. Anything else is a bug and is
 * left to the SDK.
 */
function runDomain(action: () => string): CallToolResult {
  try {
    return { content: [{ type: 'text', text: action() }] };
  } catch (error) {
    if (isTaskboardError(error)) return { isError: true, content: [{ type: 'text', text: error.message }] };
    throw error;
  }
}
