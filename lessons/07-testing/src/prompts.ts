import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  isTaskboardError,
  PROJECT_KEY_PATTERN,
  TASK_ID_PATTERN,
  type Project,
  type Task,
  type TaskboardStore,
} from '../../../taskboard/index.js';
import { contextFragment, instructionsFragment, roleFragment } from './fragments.js';

/**
 * The Taskboard prompts: templates a user picks from a menu (a slash command, say) that turn
 * a few arguments into ready-to-send messages built from the live board.
 */
export function registerPrompts(server: McpServer, store: TaskboardStore): void {
  // Step 1: standup_report and triage_task, with argument schemas
  server.registerPrompt(
    'standup_report',
    {
      title: 'Standup report',
      description: 'Write a standup report for a project: what is done, in progress, blocked and next.',
      argsSchema: {
        project: projectArgument(store),
        assignee: z.string().optional().describe('Only the tasks of this person, for example "ana". Leave out for the whole team.'),
      },
    },
    ({ project: key, assignee }) => {
      const project = findProject(store, key);
      const who = assignee?.trim() || undefined; // a form may send "" for an empty field
      const tasks = store.listTasks({ project: key, assignee: who });
      // Step 5: composed from the shared fragments
      const text = [
        roleFragment(),
        contextFragment(project, tasks),
        who ? `Write the standup update of ${who} for ${project.key}.` : `Write the team's standup report for ${project.key}.`,
        instructionsFragment([
          'What is done.',
          'What is in progress, and who is on it.',
          'What is blocked, and what would unblock it.',
          'What comes next: the most urgent open tasks.',
        ]),
      ].join('\n\n');
      return { description: `Standup report for ${project.key}`, messages: [textMessage('user', text)] };
    },
  );

  server.registerPrompt(
    'triage_task',
    {
      title: 'Triage a task',
      description: 'Decide priority, status and the next step for one task, following a worked example.',
      argsSchema: {
        project: projectArgument(store),
        task: taskArgument(store),
      },
    },
    ({ project: key, task: id }) => {
      const task = findTask(store, key, id);
      return {
        description: `Triage ${task.id}`,
        messages: [
          ...triageExample(),
          textMessage('user', `Now triage ${task.id} "${task.title}" the same way. Its current data is attached.`),
          embedTask(task),
        ],
      };
    },
  );

  // Step 5: plan_sprint, built from the same fragments
  server.registerPrompt(
    'plan_sprint',
    {
      title: 'Plan a sprint',
      description: 'Propose which tasks of a project go into the next sprint, for an optional goal.',
      argsSchema: {
        project: projectArgument(store),
        goal: z.string().optional().describe('What the sprint should achieve, in one sentence.'),
      },
    },
    ({ project: key, goal }) => {
      const project = findProject(store, key);
      const tasks = store.listTasks({ project: key });
      const text = [
        roleFragment(),
        contextFragment(project, tasks),
        goal?.trim() ? `Sprint goal: ${goal.trim()}` : 'No goal was given: propose one that the open tasks support.',
        instructionsFragment([
          'The tasks to take into the sprint, by id, most important first.',
          'The tasks to leave out, and why.',
          'The risks: blocked tasks, missing assignees, due dates.',
        ]),
      ].join('\n\n');
      return { description: `Sprint plan for ${project.key}`, messages: [textMessage('user', text)] };
    },
  );
}

// Step 2: completion for project keys and task ids

/** A project key argument that completes to the keys starting with what was typed. */
function projectArgument(store: TaskboardStore) {
  return completable(
    // describe() before completable(): describe() returns a copy, which would lose the completer.
    z.string().regex(PROJECT_KEY_PATTERN).describe('Key of the project, for example "WEB".'),
    (value) => {
      const typed = value.toUpperCase();
      return store
        .listProjects()
        .map((project) => project.key)
        .filter((key) => key.startsWith(typed));
    },
  );
}

/** A task id argument: the ids of the project already chosen (context.arguments.project), else of every project. */
function taskArgument(store: TaskboardStore) {
  return completable(
    z.string().regex(TASK_ID_PATTERN).describe('Id of the task, for example "WEB-3".'),
    (value, context) => {
      const project = context?.arguments?.['project']?.trim().toUpperCase();
      if (project && !store.hasProject(project)) return [];
      const typed = value.toUpperCase();
      return store
        .listTasks(project ? { project } : {})
        .map((task) => task.id)
        .filter((id) => id.startsWith(typed));
    },
  );
}

// Step 3: a worked example, as a user turn and the assistant's answer

function triageExample(): PromptMessage[] {
  return [
    textMessage(
      'user',
      `${roleFragment()}\n\nTriage DOCS-7 "Typo in the install guide" (status todo, priority urgent, unassigned, no due date).`,
    ),
    textMessage(
      'assistant',
      [
        'Priority: low. A typo blocks nobody; urgent is for outages and security holes.',
        'Status: stays todo.',
        'Next step: whoever edits the install guide next fixes it; no owner needed today.',
      ].join('\n'),
    ),
  ];
}

// Step 4: the task itself, embedded as a resource

/** The task's URI: the scheme lesson 04 serves as a resource template. */
export function taskUri(task: Pick<Task, 'id' | 'project'>): string {
  return `taskboard://projects/${task.project}/tasks/${task.id}`;
}

function embedTask(task: Task): PromptMessage {
  return {
    role: 'user',
    content: {
      type: 'resource',
      resource: { uri: taskUri(task), mimeType: 'application/json', text: JSON.stringify(task, null, 2) },
    },
  };
}

// Step 6: unknown projects and tasks are invalid arguments (-32602), not internal errors

function findProject(store: TaskboardStore, key: string): Project {
  try {
    return store.getProject(key);
  } catch (error) {
    throw asInvalidParams(error);
  }
}

function findTask(store: TaskboardStore, key: string, id: string): Task {
  const project = findProject(store, key);
  let task: Task;
  try {
    task = store.getTask(id);
  } catch (error) {
    throw asInvalidParams(error);
  }
  if (task.project !== project.key) {
    throw new McpError(ErrorCode.InvalidParams, `Task ${id} belongs to project ${task.project}, not ${project.key}.`);
  }
  return task;
}

/** A domain failure becomes InvalidParams with the store's message; anything else is a bug and stays as it is. */
function asInvalidParams(error: unknown): unknown {
  return isTaskboardError(error) ? new McpError(ErrorCode.InvalidParams, error.message) : error;
}

/** A prompt message with one text block. */
function textMessage(role: PromptMessage['role'], text: string): PromptMessage {
  return { role, content: { type: 'text', text } };
}
