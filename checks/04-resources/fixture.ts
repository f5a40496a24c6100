import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, connectServer, NotificationLog, request, show, type StepContext } from '../harness/index.js';

/** The URIs the lesson names (README and TODOs). */
export const GUIDE_URI = 'taskboard://guide';
export const PROJECT_TEMPLATE = 'taskboard://projects/{key}';
export const TASK_TEMPLATE = 'taskboard://projects/{key}/tasks/{id}';
export const projectUri = (key: string) => `taskboard://projects/${key}`;
export const taskUri = (id: string) => `taskboard://projects/${id.slice(0, id.lastIndexOf('-'))}/tasks/${id}`;
export const summaryUri = (key: string) => `taskboard://projects/${key}/summary`;
export const badgeUri = (key: string) => `taskboard://projects/${key}/badge.png`;

export const RESOURCE_NOT_FOUND = -32002;

/**
 * A board with a known state, served by the student's createServer, a Client on it and a log of
 * the notifications it receives:
 *   WEB "Website": WEB-1 "Fix the signup link" (todo), WEB-2 "Redesign the pricing page"
 *   (in_progress), WEB-3 "Add a dark mode" (todo); WIKI "Team wiki": no tasks;
 *   API "Public API": API-1 "Rate-limit the search endpoint" (todo).
 */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore({ now: () => new Date('2026-03-01T09:00:00.000Z') });
  store.createProject({ key: 'WEB', name: 'Website', description: 'The public website.' });
  store.createProject({ key: 'WIKI', name: 'Team wiki' });
  store.createProject({ key: 'API', name: 'Public API' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', description: 'The link on the landing page 404s.', priority: 'high', labels: ['bug'] });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low' });
  store.createTask({ project: 'API', title: 'Rate-limit the search endpoint', priority: 'urgent' });
  store.setStatus('WEB-2', 'in_progress');
  store.addComment('WEB-1', 'ana', 'Reproduced on mobile too.');

  const { client } = await connectServer(step, { store });
  const log = new NotificationLog(client);
  return { store, client, log };
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

export async function listTemplateUris(step: StepContext, client: Client): Promise<string[]> {
  requireResources(step, client, 'resources/templates/list');
  const { resourceTemplates } = await request(step, 'resources/templates/list', (o) => client.listResourceTemplates({}, o));
  return resourceTemplates.map((t) => t.uriTemplate);
}

export async function readResource(step: StepContext, client: Client, uri: string): Promise<ReadResourceResult> {
  requireResources(step, client, `resources/read of ${uri}`);
  return request(step, `resources/read of ${uri}`, (o) => client.readResource({ uri }, o));
}

/** The one content item a read answers with, checked to carry the URI that was read. */
export async function readOne(step: StepContext, client: Client, uri: string) {
  const result = await readResource(step, client, uri);
  const contents = Array.isArray(result.contents) ? result.contents : [];
  step.expect(contents.length, `reading ${uri} should answer one item in contents, got ${show(result)}`).toBe(1);
  const item = contents[0]!;
  step.expect(item.uri, `the content item of ${uri} carries the URI that was read`).toBe(uri);
  return item as { uri: string; mimeType?: string; text?: unknown; blob?: unknown };
}

/** The text of the one content item of a read; fails when it is a blob or empty. */
export async function readText(step: StepContext, client: Client, uri: string) {
  const item = await readOne(step, client, uri);
  if (typeof item.text !== 'string') {
    step.fail(`reading ${uri} should answer a text item ({ uri, mimeType, text }), got ${show(item)}`);
  }
  return { text: item.text, mimeType: item.mimeType };
}

/** The parsed JSON of a read, after checking the mimeType says it is JSON. */
export async function readJson(step: StepContext, client: Client, uri: string): Promise<Record<string, unknown>> {
  const { text, mimeType } = await readText(step, client, uri);
  step.expect(mimeType, `${uri} is JSON, so its content item has mimeType "application/json"`).toBe('application/json');
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  return step.fail(`${uri} should read as a JSON object (JSON.stringify(…) of it), got: ${text.slice(0, 200)}`);
}

/** The error a read is answered with; fails when the read succeeds. */
export async function readError(step: StepContext, client: Client, uri: string): Promise<{ code: unknown; message: string }> {
  requireResources(step, client, `resources/read of ${uri}`);
  try {
    const result = await client.readResource({ uri }, { timeout: ANSWER_TIMEOUT_MS });
    return step.fail(`reading ${uri} (which names nothing) should fail with a JSON-RPC error, but it answered ${show(result)}`);
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return { code, message: String(message) };
  }
}

/** "a status line" of the summary: `- done: 1`, tolerating bold or backticks around the parts. */
export function countOf(markdown: string, status: string): number | undefined {
  const line = new RegExp(`^\\s*[-*]\\s+[\`*_]*${status}[\`*_]*\\s*:\\s*[\`*_]*(\\d+)`, 'm').exec(markdown);
  return line ? Number(line[1]) : undefined;
}
