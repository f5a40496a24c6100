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
  // Lesson 04, step 1: a static resource
  server.registerResource(
    'guide',
    GUIDE_URI,
    {
      title: 'Taskboard guide',
      description: 'What Taskboard is, and the resources and tools this server offers.',
      mimeType: 'text/markdown',
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: GUIDE_MARKDOWN }] }),
  );

  // Lesson 04, step 2: resource templates for projects and tasks
  server.registerResource(
    'project',
    new ResourceTemplate(PROJECT_TEMPLATE, {
      list: () => projectResources(store),
      complete: { key: (value) => completeProjectKey(store, value) },
    }),
    { title: 'Project', description: 'A project as JSON, with the ids and statuses of its tasks.', mimeType: 'application/json' },
    (uri, variables) => {
      const key = String(variables.key);
      if (!store.hasProject(key)) throw resourceNotFound(uri);
      const tasks = store.listTasks({ project: key }).map(({ id, title, status }) => ({ id, title, status }));
      return json(uri, { ...store.getProject(key), tasks });
    },
  );

  server.registerResource(
    'task',
    new ResourceTemplate(TASK_TEMPLATE, {
      list: () => taskResources(store),
      complete: {
        key: (value) => completeProjectKey(store, value),
        id: (value, context) => completeTaskId(store, value, context),
      },
    }),
    { title: 'Task', description: 'One task as JSON. {id} is the full task id, like WEB-12.', mimeType: 'application/json' },
    (uri, variables) => {
      const key = String(variables.key);
      const id = String(variables.id);
      // hasTask never throws, even for "banana"; and WEB-3 lives under projects/WEB only.
      if (!store.hasTask(id)) throw resourceNotFound(uri);
      const task = store.getTask(id);
      if (task.project !== key) throw resourceNotFound(uri);
      return json(uri, task);
    },
  );

  // Lesson 04, step 4: generated content: a live summary (Markdown) and a progress badge (PNG, base64)
  server.registerResource(
    'project-summary',
    new ResourceTemplate(SUMMARY_TEMPLATE, {
      list: () => ({
        resources: store.listProjects().map((p) => ({ uri: summaryUri(p.key), name: `${p.key}-summary`, title: `${p.name}: summary` })),
      }),
      complete: { key: (value) => completeProjectKey(store, value) },
    }),
    { title: 'Project summary', description: 'Counts of the tasks of a project by status, computed when read.', mimeType: 'text/markdown' },
    (uri, variables) => {
      const key = String(variables.key);
      if (!store.hasProject(key)) throw resourceNotFound(uri);
      const project = store.getProject(key);
      const tasks = store.listTasks({ project: key });
      const counts = TASK_STATUSES.map((status) => `- ${status}: ${tasks.filter((task) => task.status === status).length}`);
      const open = tasks.filter((task) => task.status !== 'done').map((task) => `- ${task.id} [${task.status}] ${task.title}`);
      const text = [
        `# ${project.key}: ${project.name}`,
        '',
        project.description || '(no description)',
        '',
        '## Tasks by status',
        '',
        ...counts,
        '',
        `## Open tasks (${open.length} of ${tasks.length})`,
        '',
        ...(open.length ? open : ['None.']),
        '',
      ].join('\n');
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );

  server.registerResource(
    'project-badge',
    new ResourceTemplate(BADGE_TEMPLATE, {
      list: () => ({
        resources: store.listProjects().map((p) => ({ uri: badgeUri(p.key), name: `${p.key}-badge`, title: `${p.name}: progress badge` })),
      }),
      complete: { key: (value) => completeProjectKey(store, value) },
    }),
    { title: 'Progress badge', description: 'A PNG progress bar: the share of done tasks in green.', mimeType: 'image/png' },
    (uri, variables) => {
      const key = String(variables.key);
      if (!store.hasProject(key)) throw resourceNotFound(uri);
      const tasks = store.listTasks({ project: key });
      const done = tasks.filter((task) => task.status === 'done').length;
      const png = progressBadgePng(done, tasks.length);
      return { contents: [{ uri: uri.href, mimeType: 'image/png', blob: png.toString('base64') }] };
    },
  );
}

// Lesson 04, step 3: list and complete callbacks
/** resources/list entries for every project. */
export function projectResources(store: TaskboardStore): ListResourcesResult {
  const resources = store.listProjects().map((project) => ({
    uri: projectUri(project.key),
    name: project.key,
    title: project.name,
    description: project.description || undefined,
  }));
  return { resources };
}

/** resources/list entries for every task of every project. */
export function taskResources(store: TaskboardStore): ListResourcesResult {
  const resources = store.listTasks().map((task) => ({
    uri: taskUri(task.id),
    name: task.id,
    title: task.title,
    description: `Status ${task.status}, priority ${task.priority}.`,
  }));
  return { resources };
}

/** The project keys that start with what the user typed so far. */
export function completeProjectKey(store: TaskboardStore, value: string): string[] {
  const prefix = value.toUpperCase();
  return store
    .listProjects()
    .map((project) => project.key)
    .filter((key) => key.startsWith(prefix));
}

/** The task ids of the project already chosen for {key} (context.arguments.key) that start with `value`. */
export function completeTaskId(store: TaskboardStore, value: string, context?: { arguments?: Record<string, string> }): string[] {
  const key = context?.arguments?.key;
  const tasks = key === undefined ? store.listTasks() : store.hasProject(key) ? store.listTasks({ project: key }) : [];
  const prefix = value.toUpperCase();
  return tasks.map((task) => task.id).filter((id) => id.startsWith(prefix));
}

// Lesson 04, step 5: "resource not found"
/** The error to throw from a read callback when the URI names nothing that exists. */
export function resourceNotFound(uri: URL | string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, 'Resource not found', { uri: String(uri) });
}

/** A JSON resource body. */
function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}
