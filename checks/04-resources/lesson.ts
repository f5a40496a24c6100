import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 4,
  slug: '04-resources',
  title: 'Resource implementation',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Serve the guide as a static resource',
      file: 'src/resources.ts',
      hints: [
        'A resource with a fixed URI is `server.registerResource(name, uri, metadata, readCallback)`: the URI is a plain string.',
        'The metadata is `{ title, description, mimeType: "text/markdown" }`; the read callback receives the URL and returns `{ contents: [...] }`, one item per document.',
        "`server.registerResource('guide', GUIDE_URI, { title: 'Taskboard guide', description: 'What this server offers', mimeType: 'text/markdown' }, (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: GUIDE_MARKDOWN }] }))`",
      ],
    },
    {
      title: 'Add resource templates for projects and tasks',
      file: 'src/resources.ts',
      hints: [
        'A template is `new ResourceTemplate(PROJECT_TEMPLATE, { list, complete })` in place of the URI; its read callback gets `(uri, variables)` and `variables.key` holds what stood where `{key}` is.',
        'Answer JSON as `{ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }] }` (the `json(uri, value)` helper does that). The task template\'s `{id}` is the full id, so `store.getTask(String(variables.id))`.',
        "`server.registerResource('task', new ResourceTemplate(TASK_TEMPLATE, { list: () => taskResources(store), complete: { key: (v) => completeProjectKey(store, v), id: (v, context) => completeTaskId(store, v, context) } }), { title: 'Task', mimeType: 'application/json' }, (uri, { key, id }) => { const taskId = String(id); if (!store.hasTask(taskId) || store.getTask(taskId).project !== String(key)) throw resourceNotFound(uri); return json(uri, store.getTask(taskId)); })`",
      ],
    },
    {
      title: 'List and complete template resources',
      file: 'src/resources.ts',
      hints: [
        'resources/list shows, for each template, what its `list` callback returns: `{ resources: [{ uri, name, title? }] }`. Completion asks one variable at a time, with the text typed so far.',
        'projectResources: `store.listProjects().map((p) => ({ uri: projectUri(p.key), name: p.key, title: p.name }))`; taskResources the same over `store.listTasks()` with `taskUri(t.id)`. Completion filters with `startsWith(value)`.',
        'completeTaskId: `const key = context?.arguments?.key; const tasks = key && store.hasProject(key) ? store.listTasks({ project: key }) : key ? [] : store.listTasks(); return tasks.map((t) => t.id).filter((id) => id.startsWith(value.toUpperCase()));`',
      ],
    },
    {
      title: 'Generate a summary and a PNG badge',
      file: 'src/resources.ts',
      hints: [
        'Both are templates whose read callback computes the answer from the store every time: nothing is cached, so a change shows on the next read. Give each `complete: { key }` like the project template; `list` may be undefined or list every project.',
        'Summary: `TASK_STATUSES.map((s) => `- ${s}: ${tasks.filter((t) => t.status === s).length}`)` joined with newlines, mimeType "text/markdown". Badge: `progressBadgePng(done, tasks.length)` returns a Buffer.',
        "Binary content goes in `blob`, base64-encoded: `{ contents: [{ uri: uri.href, mimeType: 'image/png', blob: progressBadgePng(done, total).toString('base64') }] }`.",
      ],
    },
    {
      title: 'Answer "resource not found"',
      file: 'src/resources.ts',
      hints: [
        'An error thrown in a read callback reaches the client as a JSON-RPC error. Its code is the thrown error\'s numeric `code`, or -32603 (Internal error) when it has none.',
        'McpError (from @modelcontextprotocol/sdk/types.js) carries a code, a message and data: `new McpError(code, message, data)`. The SDK\'s ErrorCode enum has no name for -32002: use RESOURCE_NOT_FOUND.',
        "`return new McpError(RESOURCE_NOT_FOUND, 'Resource not found', { uri: String(uri) });` and make every read callback `throw resourceNotFound(uri)` when the project or task does not exist, before calling store.getProject / store.getTask.",
      ],
    },
    {
      title: 'Notify subscribers of changes',
      file: 'src/subscriptions.ts',
      hints: [
        'McpServer has no API for subscriptions: declare `resources: { subscribe: true }` with server.server.registerCapabilities and handle the two requests on server.server with setRequestHandler.',
        'Keep a `Set<string>` of subscribed URIs: SubscribeRequestSchema adds `request.params.uri`, UnsubscribeRequestSchema deletes it, both return `{}`. Then `store.subscribe((event) => …)` tells you what changed.',
        "`store.subscribe((event) => { for (const uri of changedBy(event)) if (subscribed.has(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {}); })`, and call the function store.subscribe returns from server.server.onclose.",
      ],
    },
    {
      title: 'Announce list changes',
      file: 'src/subscriptions.ts',
      hints: [
        'resources/list is computed from the store, so the list changes whenever a project or task appears or goes: the store tells you about each of those.',
        'McpServer has `sendResourceListChanged()`; it sends `notifications/resources/list_changed` when a client is connected.',
        "In the store listener: `if (event.type === 'project-created' || event.type === 'task-created' || event.type === 'task-deleted') server.sendResourceListChanged();`",
      ],
    },
    {
      title: 'Link to resources from a tool',
      file: 'src/find-task.ts',
      hints: [
        'A tool result\'s content can hold `resource_link` items next to text: the client reads the linked resource when it needs it.',
        'Register "find_task" with `inputSchema: { text: z.string().min(1), project: z.string().regex(PROJECT_KEY_PATTERN).optional() }` and search with `store.listTasks({ text, project })`.',
        "`content: [{ type: 'text', text: `${tasks.length} task(s) found` }, ...tasks.map((t): ResourceLink => ({ type: 'resource_link', uri: taskUri(t.id), name: t.id, title: t.title, mimeType: 'application/json' }))]`",
      ],
    },
  ],
});
