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
import { registerPrompts } from './prompts.js';

export interface ServerOptions {
  /** The Taskboard to serve; a demo board when omitted. */
  store?: TaskboardStore;
}

/** The Taskboard server: lesson 02's tools, plus this lesson's prompts (src/prompts.ts). */
export function createServer(options: ServerOptions = {}): McpServer {
  const store = options.store ?? createDemoStore();
  const server = new McpServer(
    { name: 'taskboard', version: '0.5.0' },
    {
      instructions:
        'Taskboard tracks projects (keys like WEB) and their tasks (ids like WEB-12). Use list_tasks to find ids before you complete a task. ' +
        'Prompts: standup_report, triage_task and plan_sprint.',
    },
  );

  // Lesson 02: create_task
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

  // Lesson 02: list_tasks
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

  // Lesson 02: complete_task
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

  // Lesson 05: the prompts
  registerPrompts(server, store);

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
