import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  createDemoStore,
  PROJECT_KEY_PATTERN,
  TASK_ID_PATTERN,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type Task,
  type TaskboardStore,
} from '../../../taskboard/index.js';
import { reportUnexpectedErrorsTo, runTool, toolResult } from './errors.js';
import { registerEstimate, type EstimateOptions } from './estimate.js';
import { registerImport, type ImportOptions } from './import.js';
import { registerFindTask } from './find-task.js';
import { forwardStoreEvents, silentLogger, type Logger } from './logger.js';
import { registerNotify, type UpstreamOptions } from './notify.js';
import type { Caller } from './oauth.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerSearch } from './search.js';
import { registerSubscriptions } from './subscriptions.js';

export const SERVER_VERSION = '0.7.0';

export interface ServerOptions extends ImportOptions, EstimateOptions {
  /** The Taskboard to serve; a demo board when omitted. */
  store?: TaskboardStore;
  /** Where the operator's log goes (JSON lines on stderr in main.ts); nowhere when omitted. */
  logger?: Logger;
  /** Lesson 06: the webhook notify_team posts to; without it, there is no notify_team. */
  upstream?: UpstreamOptions;
}

export function createServer(options: ServerOptions = {}): McpServer {
  const store = options.store ?? createDemoStore();
  reportUnexpectedErrorsTo(options.logger ?? silentLogger);
  const server = new McpServer(
    { name: 'taskboard', version: SERVER_VERSION },
    {
      // Lesson 03: import_tasks sends log messages. Declare logging here, in the constructor: that is
      // where McpServer also installs the logging/setLevel handler the capability promises.
      capabilities: { logging: {} },
      instructions:
        'Taskboard tracks projects (keys like WEB) and their tasks (ids like WEB-12). ' +
        'Use search_tasks to find tasks by status, priority, labels, assignee or due date; ' +
        'import_tasks to create many at once; estimate_task for an estimate in hours. ' +
        'Projects and tasks are also resources (taskboard://projects/WEB, taskboard://projects/WEB/tasks/WEB-12; ' +
        'read taskboard://guide first); find_task answers with links to them. ' +
        'Prompts: standup_report, triage_task and plan_sprint.' +
        (options.upstream ? ' notify_team tells the team about a task.' : ''),
    },
  );

  // Lessons 02 and 03: the task tools, annotated (lesson 03, step 3)
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
        assignee: z.string().min(1).max(100).optional().describe('Who does it; you, the caller, when omitted.'),
      },
      // Adds a task and touches nothing else; a second call adds a second task.
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    // Lesson 06: the caller, as the HTTP layer verified it, reaches the handler as extra.authInfo.
    // Identity comes from the credential, never from an argument the model could fill in.
    async ({ project, title, description, priority, assignee }, extra) =>
      runTool(() => {
        const caller = (extra.authInfo?.extra as Caller | undefined)?.subject;
        const task = store.createTask({ project, title, description, priority, assignee: assignee ?? caller ?? null });
        return toolResult(`Created ${describeTask(task)}${task.assignee ? `, assigned to ${task.assignee}` : ''}`);
      }),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description: 'List the tasks of a project, optionally only those with one status. For richer queries use search_tasks.',
      inputSchema: {
        project: z.string().regex(PROJECT_KEY_PATTERN).describe('Key of the project, for example "WEB".'),
        status: z.enum(TASK_STATUSES).optional().describe('Only tasks with this status.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ project, status }) =>
      runTool(() => {
        const tasks = store.listTasks({ project, status: status ? [status] : undefined });
        if (tasks.length === 0) return toolResult(`No ${status ? `${status} ` : ''}tasks in ${project}.`);
        return toolResult(tasks.map(describeTask).join('\n'));
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
      // Completing twice leaves the board as completing once did (the second call only reports it).
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }) => runTool(() => toolResult(`Completed ${describeTask(store.completeTask(id))}`)),
  );

  // delete_task removes data for good: destructiveHint true, and the description says so too.
  server.registerTool(
    'delete_task',
    {
      title: 'Delete task',
      description: 'Delete a task for good, with its comments. This cannot be undone: prefer complete_task for finished work.',
      inputSchema: {
        id: z.string().regex(TASK_ID_PATTERN).describe('Id of the task to delete, for example "WEB-12".'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }) =>
      runTool(() => {
        store.deleteTask(id);
        return toolResult(`Deleted ${id}.`);
      }),
  );

  registerSearch(server, store);
  registerImport(server, store, options);
  registerEstimate(server, store, options);

  // Lesson 04: resources, their notifications, and links to them
  registerResources(server, store);
  registerSubscriptions(server, store);
  registerFindTask(server, store);

  // Lesson 05: the prompts (src/prompts.ts, built from src/fragments.ts)
  registerPrompts(server, store);

  // Lesson 06: a tool that calls an upstream service with the server's own credential
  registerNotify(server, store, options.upstream);

  // This lesson: every change to the board reaches the client as an MCP log message (src/logger.ts)
  forwardStoreEvents(server, store);
  return server;
}

/** One line per task, for tool answers: "WEB-3 [todo] (high) Fix the signup link". */
export function describeTask(task: Task): string {
  return `${task.id} [${task.status}] (${task.priority}) ${task.title}`;
}
