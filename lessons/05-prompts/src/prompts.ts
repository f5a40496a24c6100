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

/**
 * The Taskboard prompts: templates a user picks from a menu (a slash command, say) that turn
 * a few arguments into ready-to-send messages built from the live board.
 */
export function registerPrompts(server: McpServer, store: TaskboardStore): void {
  // TODO 1: standup_report and triage_task, with argument schemas
  //   server.registerPrompt(name, { title, description, argsSchema }, handler)
  //   standup_report, arguments:
  //     project   required  a project key (z.string().regex(PROJECT_KEY_PATTERN)), like "WEB"
  //     assignee  optional  only this person's tasks (z.string().optional())
  //   triage_task, arguments:
  //     project   required  a project key
  //     task      required  a task id (z.string().regex(TASK_ID_PATTERN)), like "WEB-3"
  //   Give every argument a .describe("…"): clients show it next to the field.
  //   Prompt arguments are strings on the wire, so every argument is a z.string().
  //   The handler gets the parsed arguments and returns { messages: [...] }; for now one user
  //   message each (textMessage at the bottom of this file helps):
  //     standup_report  the project's tasks, one line each with its id (only the assignee's
  //                     tasks when an assignee is given, and then the assignee's name too)
  //     triage_task     the task's id and title, and the request to triage it
  //   Read the store inside the handler (store.getProject, store.listTasks, store.getTask), so a
  //   prompt always shows the board as it is now. An assignee of "" (a form field left empty)
  //   counts as absent: the whole team.

  // TODO 5 (second half): plan_sprint, built from the same fragments as standup_report
  //   Arguments: project (required, completable like the others), goal (optional; "" counts as
  //   no goal).
  //   One user message: roleFragment(), contextFragment(project, all the project's tasks),
  //   the goal when given, and instructionsFragment([...]) with what the plan must contain.
  //   Rewrite standup_report's message the same way: roleFragment(), contextFragment(project,
  //   tasks) (the assignee's tasks when one is given, else all), then its own instructions.

  void server; // remove once you register prompts
  void store;
}

// TODO 2: completion for project keys and task ids
//   Wrap an argument's schema in completable(schema, (value, context) => string[]) and the
//   client can ask completion/complete for suggestions while the user types.
//   project (in all prompts): the project keys that start with `value`.
//   task (triage_task): the ids that start with `value`, of the project in
//     context?.arguments?.project when there is one (none if that project does not exist),
//     else of every project. A project of "" in the context counts as none.
//   Order matters: completable(z.string().regex(…).describe("…"), complete). A .describe() or
//   .optional() AFTER completable() returns a new schema without the completer.
//   Tip: write projectArgument(store) and taskArgument(store) functions returning these schemas.

// TODO 3: a worked example in triage_task
//   Change triage_task's messages to: a user message asking to triage a made-up example task,
//   an assistant message with a model answer (priority, status, next step), and then the real
//   request as the last user message(s), whose text names the real task's id and title. The
//   model answers the real request the way the example shows.

// TODO 4: embed the task as a resource
//   Add a user message to the real request (after the example answer) whose content is the task
//   itself:
//     { type: 'resource', resource: { uri: taskUri(task), mimeType: 'application/json', text: JSON.stringify(task) } }
//   The text is the whole task exactly as store.getTask(id) returns it, read when the prompt is
//   requested (not when it was registered).

/** The task's URI: the scheme lesson 04 serves as a resource template. */
export function taskUri(task: Pick<Task, 'id' | 'project'>): string {
  return `taskboard://projects/${task.project}/tasks/${task.id}`;
}

// TODO 6: unknown projects and tasks are invalid arguments (-32602), not internal errors
//   A missing or malformed argument is already answered by the SDK: it validates argsSchema and
//   rejects prompts/get with InvalidParams (-32602). But when the store throws (project NOPE,
//   task WEB-99) the SDK answers InternalError (-32603). Write findProject(store, key) and
//   findTask(store, key, id) that catch a TaskboardError (isTaskboardError) and throw
//   new McpError(ErrorCode.InvalidParams, error.message) instead; findTask also rejects a task of
//   another project (triage_task with project WEB and task API-1), naming the task.
//   Use them in every handler.

/** A prompt message with one text block. */
function textMessage(role: PromptMessage['role'], text: string): PromptMessage {
  return { role, content: { type: 'text', text } };
}
