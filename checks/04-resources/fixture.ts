import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification, ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import type { TaskboardStore } from '../../taskboard/index.js';
import { ANSWER_TIMEOUT_MS, connectServer, NotificationLog, request, show, type StepContext } from '../harness/index.js';

/**
 * The notifications a client receives; a failure message names the URI of each
 * resources/updated that did arrive, not only its method.
 */
export class ResourceNotificationLog extends NotificationLog {
  constructor(client: Client) {
    super(client, (n) => (typeof n.params?.uri === 'string' ? `${n.method} (${n.params.uri})` : n.method));
  }
}

/** The URIs the lesson names (README and TODOs). */
export const GUIDE_URI = 'taskboard://guide';
export const PROJECT_TEMPLATE = 'taskboard://projects/{key}';
export const TASK_TEMPLATE = 'taskboard://projects/{key}/tasks/{id}';
export const SUMMARY_TEMPLATE = 'taskboard://projects/{key}/summary';
export const BADGE_TEMPLATE = 'taskboard://projects/{key}/badge.png';
export const projectUri = (key: string) => `taskboard://projects/${key}`;
export const taskUri = (id: string) => `taskboard://projects/${id.slice(0, id.lastIndexOf('-'))}/tasks/${id}`;
export const summaryUri = (key: string) => `taskboard://projects/${key}/summary`;
export const badgeUri = (key: string) => `taskboard://projects/${key}/badge.png`;

export const RESOURCE_NOT_FOUND = -32002;
export const STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;

/** The board's project keys, in creation order. */
export const KEYS = ['WEB', 'WIKI', 'API'];
/** WEB's task ids. */
export const WEB_IDS = ['WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5'];

/**
 * A board whose data tells right from wrong:
 *   WEB "Website": WEB-1 "Fix the signup link" (todo; "landing page" in its description),
 *   WEB-2 "Redesign the pricing page" (in_progress), WEB-3 "Add a dark mode" (todo),
 *   WEB-4 "Migrate analytics" (blocked), WEB-5 "Set up CI" (done): every status differs from
 *   the next one's count, and one task is done, so a badge is neither empty nor full;
 *   WIKI "Team wiki": no tasks (zero counts, an empty project);
 *   API "Public API": API-1 "Rate-limit the search endpoint" (todo), API-2 "Publish OpenAPI
 *   spec" (done): a second project with a done task, so a count, a badge, a list or a
 *   completion that ignores the project gives a different answer.
 */
export async function seedBoard(step: StepContext): Promise<TaskboardStore> {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore({ now: () => new Date('2026-03-01T09:00:00.000Z') });
  store.createProject({ key: 'WEB', name: 'Website', description: 'The public website.' });
  store.createProject({ key: 'WIKI', name: 'Team wiki' });
  store.createProject({ key: 'API', name: 'Public API', description: 'The REST API.' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', description: 'The link on the landing page 404s.', priority: 'high', labels: ['bug'] });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low' });
  store.createTask({ project: 'WEB', title: 'Migrate analytics' });
  store.createTask({ project: 'WEB', title: 'Set up CI' });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', priority: 'urgent' });
  store.createTask({ project: 'API', title: 'Publish OpenAPI spec' });
  store.setStatus('WEB-2', 'in_progress');
  store.setStatus('WEB-4', 'blocked');
  store.setStatus('WEB-5', 'done');
  store.setStatus('API-2', 'done');
  store.addComment('WEB-1', 'ana', 'Reproduced on mobile too.');
  return store;
}

/** The student's server on a board (seeded unless given), a Client on it and a log of its notifications. */
export async function connectToBoard(step: StepContext, given?: TaskboardStore) {
  const store = given ?? (await seedBoard(step));
  const { client, server } = await connectServer(step, { store });
  const log = new ResourceNotificationLog(client);
  return { store, client, server, log };
}

/**
 * Counts the calls of every listener registered through `store.subscribe` from now on, so a
 * check can see whether a disconnected server still listens. Wrapping the listener (not the
 * store's internals) keeps the store's own unsubscribe function working as it does.
 */
export function watchListeners(store: TaskboardStore): { calls: () => number; registered: () => number; active: () => number } {
  let calls = 0;
  let registered = 0;
  let active = 0;
  const original = store.subscribe.bind(store);
  store.subscribe = (listener) => {
    registered += 1;
    active += 1;
    const stop = original((event) => {
      calls += 1;
      listener(event);
    });
    let stopped = false;
    return () => {
      if (!stopped) active -= 1;
      stopped = true;
      return stop();
    };
  };
  return { calls: () => calls, registered: () => registered, active: () => active };
}

/** Runs a change on the board; a listener of the student's that throws becomes a teaching failure. */
export function change<T>(step: StepContext, what: string, action: () => T): Promise<T> {
  return step.run(`${what} (the store then calls your store.subscribe listener)`, action);
}

function requireResources(step: StepContext, client: Client, method: string): void {
  if (!client.getServerCapabilities()?.resources) {
    step.fail(
      `the server declares no resources capability, so ${method} cannot work yet. ` +
        'McpServer declares it as soon as you register a resource with server.registerResource(…).',
    );
  }
}

/** Every entry of resources/list. */
export async function listResources(step: StepContext, client: Client): Promise<Resource[]> {
  requireResources(step, client, 'resources/list');
  const { resources } = await request(step, 'resources/list', (o) => client.listResources({}, o));
  return resources;
}

/** Every entry of resources/templates/list. */
export async function listTemplates(step: StepContext, client: Client): Promise<ResourceTemplate[]> {
  requireResources(step, client, 'resources/templates/list');
  const { resourceTemplates } = await request(step, 'resources/templates/list', (o) => client.listResourceTemplates({}, o));
  return resourceTemplates;
}

/** The template with this exact URI template, checked to have a name and the given mimeType. */
export async function requireTemplate(step: StepContext, client: Client, uriTemplate: string, mimeType: string): Promise<ResourceTemplate> {
  const templates = await listTemplates(step, client);
  const template = templates.find((t) => t.uriTemplate === uriTemplate);
  if (!template) {
    return step.fail(
      `resources/templates/list should include the template ${uriTemplate} (new ResourceTemplate(…) with exactly that pattern); ` +
        `it lists ${templates.map((t) => t.uriTemplate).join(', ') || 'no templates'}.`,
    );
  }
  step.expect(template.name?.trim(), `the template ${uriTemplate} needs a name (the first argument of registerResource)`).toBeTruthy();
  step.expect(template.mimeType, `the template ${uriTemplate} says what its resources read as: metadata mimeType "${mimeType}"`).toBe(mimeType);
  return template;
}

export async function readResource(step: StepContext, client: Client, uri: string): Promise<ReadResourceResult> {
  requireResources(step, client, `resources/read of ${uri}`);
  return request(step, `resources/read of ${uri}`, (o) => client.readResource({ uri }, o));
}

type Item = { uri: string; mimeType?: string; text?: unknown; blob?: unknown };

/**
 * The content item of a read with the URI that was read and the given mimeType. A read may answer
 * several items (the spec allows a list), so the others are left alone.
 */
export async function readItem(step: StepContext, client: Client, uri: string, mimeType: string): Promise<Item> {
  const result = await readResource(step, client, uri);
  const contents = (Array.isArray(result.contents) ? result.contents : []) as Item[];
  const item = contents.find((c) => c.uri === uri && c.mimeType === mimeType);
  if (!item) {
    return step.fail(
      `reading ${uri} should answer, in contents, an item { uri: "${uri}", mimeType: "${mimeType}", … } (uri: uri.href, and always a mimeType); got ${show(result)}`,
    );
  }
  return item;
}

/** The text of a read's item with that mimeType; fails when it is a blob or missing. */
export async function readText(step: StepContext, client: Client, uri: string, mimeType: string): Promise<string> {
  const item = await readItem(step, client, uri, mimeType);
  if (typeof item.text !== 'string') {
    return step.fail(`reading ${uri} should answer a text item ({ uri, mimeType: "${mimeType}", text }), got ${show(item)}`);
  }
  return item.text;
}

/** The parsed JSON object of a read's application/json item. */
export async function readJson(step: StepContext, client: Client, uri: string): Promise<Record<string, unknown>> {
  const text = await readText(step, client, uri, 'application/json');
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  return step.fail(`${uri} should read as a JSON object (JSON.stringify(…) of it), got: ${text.slice(0, 200)}`);
}

/** The error a read is answered with; fails when the read succeeds. */
export async function readError(step: StepContext, client: Client, uri: string): Promise<{ code: unknown; message: unknown; data: unknown }> {
  requireResources(step, client, `resources/read of ${uri}`);
  try {
    const result = await client.readResource({ uri }, { timeout: ANSWER_TIMEOUT_MS });
    return step.fail(`reading ${uri} (which names nothing) should fail with a JSON-RPC error, but it answered ${show(result)}`);
  } catch (error) {
    const { code, message, data } = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
    return { code, message, data };
  }
}

/** "a status line" of the summary: `- done: 1`, tolerating bold or backticks around the parts. */
export function countOf(markdown: string, status: string): number | undefined {
  const line = new RegExp(`^\\s*[-*]\\s+[\`*_]*${status}[\`*_]*\\s*:\\s*[\`*_]*(\\d+)`, 'm').exec(markdown);
  return line ? Number(line[1]) : undefined;
}

/** The counts by status a summary shows. */
export function countsOf(markdown: string): Record<string, number | undefined> {
  return Object.fromEntries(STATUSES.map((s) => [s, countOf(markdown, s)]));
}

/** What completion/complete answers for one variable of a template. */
export async function completeValues(step: StepContext, client: Client, template: string, name: string, value: string, args?: Record<string, string>) {
  if (!client.getServerCapabilities()?.completions) {
    step.fail(
      'the server declares no completions capability: McpServer declares it once a ResourceTemplate has a `complete` callback ({ complete: { key: … } }).',
    );
  }
  const { completion } = await request(step, `completion/complete of {${name}} in ${template} from "${value}"${args ? ` with ${JSON.stringify(args)}` : ''}`, (o) =>
    client.complete({ ref: { type: 'ref/resource', uri: template }, argument: { name, value }, ...(args ? { context: { arguments: args } } : {}) }, o),
  );
  return completion.values;
}

/** Checks that completing `{key}` of a template answers exactly the project keys that start with the value. */
export async function expectKeyCompletion(step: StepContext, client: Client, template: string) {
  for (const [value, expected] of [
    ['W', ['WEB', 'WIKI']],
    ['', KEYS],
    ['E', []], // contains "E" (WEB) but no key starts with it: startsWith, not includes
  ] as const) {
    const values = await completeValues(step, client, template, 'key', value);
    step.expect([...new Set(values)].sort(), `completing {key} of ${template} from "${value}" should offer exactly the project keys that start with it`).toEqual(
      [...expected].sort(),
    );
  }
}
