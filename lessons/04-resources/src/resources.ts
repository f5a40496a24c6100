import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, type ListResourcesResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { TASK_STATUSES, type TaskboardStore } from '../../../taskboard/index.js';
import { progressBadgePng } from './badge.js';

// ---- URIs (given) ---------------------------------------------------------------------------
// Every resource this server offers lives under taskboard://. The other modules build URIs
// with these helpers, so a link, a subscription and a read always agree on the spelling.

export const GUIDE_URI = 'taskboard://guide';
export const PROJECT_TEMPLATE = 'taskboard://projects/{key}';
export const TASK_TEMPLATE = 'taskboard://projects/{key}/tasks/{id}';
export const SUMMARY_TEMPLATE = 'taskboard://projects/{key}/summary';
export const BADGE_TEMPLATE = 'taskboard://projects/{key}/badge.png';

export const projectUri = (key: string): string => `taskboard://projects/${key}`;
/** A task's URI; `id` is the full task id, like WEB-3. */
export const taskUri = (id: string): string => `${projectUri(id.slice(0, id.lastIndexOf('-')))}/tasks/${id}`;
export const summaryUri = (key: string): string => `${projectUri(key)}/summary`;
export const badgeUri = (key: string): string => `${projectUri(key)}/badge.png`;

/** The spec's (2025-11-25) code for "resource not found". The SDK's ErrorCode enum has no name for it. */
export const RESOURCE_NOT_FOUND = -32002;

export const GUIDE_MARKDOWN = `# Taskboard

Taskboard tracks **projects** (keys like \`WEB\`) and their **tasks** (ids like \`WEB-12\`).
A task has a status (todo, in_progress, blocked, done), a priority (low, medium, high,
urgent), an optional assignee, labels, a due date and comments.

## Resources

- \`taskboard://guide\`: this guide.
- \`taskboard://projects/{key}\`: a project as JSON, with the ids of its tasks.
- \`taskboard://projects/{key}/tasks/{id}\`: one task as JSON; \`{id}\` is the full id, like \`WEB-12\`.
- \`taskboard://projects/{key}/summary\`: a live summary of the project in Markdown.
- \`taskboard://projects/{key}/badge.png\`: a progress bar image (PNG).

## Tools

- \`create_task\`, \`list_tasks\`, \`complete_task\`: change and list tasks.
- \`find_task\`: search tasks by text; answers with links to the task resources.
`;

export function registerResources(server: McpServer, store: TaskboardStore): void {
  // TODO 1: a static resource
  //   server.registerResource(name, uri, metadata, readCallback) with a fixed URI:
  //   name "guide", uri GUIDE_URI (taskboard://guide), metadata { title, description,
  //   mimeType: 'text/markdown' }. The read callback gets the URL and answers
  //   { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: GUIDE_MARKDOWN }] }.

  // TODO 2: resource templates for projects and tasks
  //   Register two templates: server.registerResource(name, new ResourceTemplate(pattern, { list, complete }), metadata, readCallback)
  //   - "project": PROJECT_TEMPLATE (taskboard://projects/{key}), mimeType 'application/json';
  //     reads as the project (store.getProject) as JSON; adding its tasks' ids is a good idea.
  //   - "task": TASK_TEMPLATE (taskboard://projects/{key}/tasks/{id}), mimeType 'application/json';
  //     {id} is the FULL task id (WEB-3). Reads as the Task from store.getTask(id) as JSON.
  //   The json() helper at the bottom builds a JSON body. The read callback receives
  //   (uri, variables): variables.key and variables.id are what the URI held (String(…) them).
  //   For list and complete, use the functions of step 3:
  //     list: () => projectResources(store), complete: { key: (value) => completeProjectKey(store, value) }
  //   and for tasks also id: (value, context) => completeTaskId(store, value, context).
  //   When the project or task does not exist (or the task is not in that project: WEB-3 is not
  //   under projects/API), throw resourceNotFound(uri): step 5 makes it the right error.
  //   Tip: store.hasProject / store.hasTask answer without throwing.

  // TODO 4: generated content: a live summary (Markdown) and a progress badge (PNG, base64)
  //   - "project-summary": SUMMARY_TEMPLATE (taskboard://projects/{key}/summary), mimeType
  //     'text/markdown'. Computed on every read from the store: a Markdown text with one line per
  //     status in TASK_STATUSES, exactly "- <status>: <count>" (zero counts too), e.g. "- done: 1".
  //   - "project-badge": BADGE_TEMPLATE (taskboard://projects/{key}/badge.png), mimeType
  //     'image/png'. The bytes of progressBadgePng(done, total) (./badge.js: done = tasks with
  //     status "done", total = all the project's tasks), sent as a blob: base64 text,
  //     { uri: uri.href, mimeType: 'image/png', blob: png.toString('base64') }.
  //   Both answer resourceNotFound(uri) for an unknown project. Their list callbacks may list
  //   one entry per project (or be undefined); complete { key } like the project template.
}

// TODO 3: list and complete callbacks
//   The templates of step 2 call these. resources/list shows what the list callbacks return:
//   every project and every task must be there, each { uri, name } (a title is nice too).
//   completion/complete asks for the values of one variable that start with what the user typed.

/** resources/list entries for every project: { uri: projectUri(key), name: key, title: project.name }. */
export function projectResources(store: TaskboardStore): ListResourcesResult {
  return { resources: [] };
}

/** resources/list entries for every task of every project: { uri: taskUri(id), name: id, title }. */
export function taskResources(store: TaskboardStore): ListResourcesResult {
  return { resources: [] };
}

/** The project keys that start with `value` (what the user typed so far; may be ""). */
export function completeProjectKey(store: TaskboardStore, value: string): string[] {
  return [];
}

/**
 * The ids of the tasks of the project the user already chose for {key} that start with
 * `value`. The SDK passes the other variables as context.arguments: context?.arguments?.key.
 */
export function completeTaskId(store: TaskboardStore, value: string, context?: { arguments?: Record<string, string> }): string[] {
  return [];
}

// TODO 5: "resource not found"
//   A read callback that throws a plain Error makes the SDK answer -32603 (Internal error): to
//   the client that looks like a crash. The spec (2025-11-25) asks for -32002 "Resource not
//   found". Return new McpError(RESOURCE_NOT_FOUND, 'Resource not found', { uri: String(uri) })
//   (McpError from @modelcontextprotocol/sdk/types.js) instead of the plain Error below.
/** The error to throw from a read callback when the URI names nothing that exists. */
export function resourceNotFound(uri: URL | string): Error {
  return new Error(`Resource ${String(uri)} not found`);
}

/** A JSON resource body. */
function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}
