import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  CallToolResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TaskboardStore } from '../../../taskboard/index.js';
import { createServer } from '../src/server.js';

// Step 2: integration tests through a real Client over the in-memory transport: the same
// requests a host sends, in one process. Every test gets a fresh board and a fresh server, and
// afterEach closes what the test opened, so no test sees another's tasks.

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A known board: WEB-1 (ana, high), WEB-2 (ben, in progress), WEB-3 (low); API-1. */
function board(): TaskboardStore {
  const store = new TaskboardStore();
  store.createProject({ key: 'WEB', name: 'Website' });
  store.createProject({ key: 'API', name: 'Public API' });
  store.createTask({ project: 'WEB', title: 'Fix the signup link', priority: 'high', assignee: 'ana' });
  store.createTask({ project: 'WEB', title: 'Redesign the pricing page', assignee: 'ben' });
  store.createTask({ project: 'WEB', title: 'Add a dark mode', priority: 'low' });
  store.createTask({ project: 'API', title: 'Rate-limit search', assignee: 'ana' });
  store.setStatus('WEB-2', 'in_progress');
  return store;
}

async function connect(store = board()) {
  const server = createServer({ store });
  const client = new Client({ name: 'lesson-07-test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  open.push(server, client);
  return { client, store };
}

/** Every notification the client receives, with a way to wait for one by condition (never by sleeping). */
function recordNotifications(client: Client) {
  const seen: ServerNotification[] = [];
  const handle = (n: ServerNotification) => {
    seen.push(n);
  };
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, handle);
  client.setNotificationHandler(LoggingMessageNotificationSchema, handle);
  return {
    seen,
    waitFor: (test: (n: ServerNotification) => boolean) => vi.waitFor(() => expect(seen.some(test)).toBe(true), { timeout: 2_000 }),
  };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, CallToolResultSchema)) as CallToolResult;
}

const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('tools', () => {
  test('create_task answers with the new id, and list_tasks shows it', async () => {
    const { client, store } = await connect();
    const created = await call(client, 'create_task', { project: 'API', title: 'Write the changelog' });
    expect(created.isError).toBeFalsy();
    expect(text(created)).toContain('API-2');
    expect(store.getTask('API-2').title).toBe('Write the changelog');
    expect(text(await call(client, 'list_tasks', { project: 'API' }))).toContain('API-2');
  });

  test('list_tasks with a status lists those tasks and no others', async () => {
    const { client } = await connect();
    const answer = text(await call(client, 'list_tasks', { project: 'WEB', status: 'in_progress' }));
    expect(answer).toContain('WEB-2');
    expect(answer).not.toContain('WEB-1');
    expect(answer).not.toContain('WEB-3');
  });

  test('search_tasks pages through every match exactly once', async () => {
    const { client } = await connect();
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(client, 'search_tasks', { filter: { project: 'WEB' }, limit: 2, ...(cursor ? { cursor } : {}) });
      const content = page.structuredContent as { tasks: Array<{ id: string }>; total: number; nextCursor?: string };
      expect(content.total).toBe(3);
      ids.push(...content.tasks.map((t) => t.id));
      cursor = content.nextCursor;
      pages++;
    } while (cursor && pages < 5);
    expect(ids).toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    expect(pages).toBe(2);
  });

  test('a domain error is a tool error (isError) that names the task', async () => {
    const { client } = await connect();
    const result = await call(client, 'complete_task', { id: 'WEB-99' });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('WEB-99');
  });

  test('invalid arguments are refused before the tool runs', async () => {
    const { client, store } = await connect();
    for (const args of [{ project: 'WEB', title: '' }, { project: 'WEB', title: 'ok', priority: 'whenever' }, { project: 'web!', title: 'ok' }]) {
      const result = await call(client, 'create_task', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
    }
    expect(store.listTasks({ project: 'WEB' })).toHaveLength(3);
  });

  test('an unknown tool is an error, not a crash', async () => {
    const { client } = await connect();
    const result = await call(client, 'no_such_tool', {}).catch((error: unknown) => error);
    // McpServer 1.32 answers with an isError result; other servers use the JSON-RPC error -32602.
    if (result instanceof McpError) expect(result.code).toBe(-32602);
    else expect((result as CallToolResult).isError).toBe(true);
  });
});

describe('resources', () => {
  test('a task reads as JSON with its data', async () => {
    const { client } = await connect();
    const { contents } = await client.readResource({ uri: 'taskboard://projects/WEB/tasks/WEB-3' });
    expect(contents).toHaveLength(1);
    expect(contents[0]?.mimeType).toBe('application/json');
    expect(JSON.parse(String(contents[0] && 'text' in contents[0] ? contents[0].text : ''))).toMatchObject({ id: 'WEB-3', title: 'Add a dark mode' });
  });

  test('an unknown resource is the JSON-RPC error -32002', async () => {
    const { client } = await connect();
    await expect(client.readResource({ uri: 'taskboard://projects/WEB/tasks/WEB-99' })).rejects.toMatchObject({ code: -32002 });
  });

  test('a subscribed task sends resources/updated when it changes', async () => {
    const { client } = await connect();
    const notifications = recordNotifications(client);
    await client.subscribeResource({ uri: 'taskboard://projects/WEB/tasks/WEB-3' });
    await call(client, 'complete_task', { id: 'WEB-3' });
    await notifications.waitFor((n) => n.method === 'notifications/resources/updated' && n.params.uri === 'taskboard://projects/WEB/tasks/WEB-3');
  });
});

describe('prompts', () => {
  test("standup_report with an assignee shows that person's tasks only", async () => {
    const { client } = await connect();
    const { messages } = await client.getPrompt({ name: 'standup_report', arguments: { project: 'WEB', assignee: 'ana' } });
    const all = messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(all).toContain('WEB-1');
    expect(all).not.toContain('WEB-2');
    expect(all).not.toContain('WEB-3');
  });

  test('an unknown project is invalid params (-32602), not an internal error', async () => {
    const { client } = await connect();
    await expect(client.getPrompt({ name: 'standup_report', arguments: { project: 'NOPE' } })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('logging', () => {
  test('board changes reach the client as log messages, at the level it set', async () => {
    const { client } = await connect();
    const notifications = recordNotifications(client);
    await client.setLoggingLevel('warning');
    await call(client, 'create_task', { project: 'WEB', title: 'Quiet' }); // info: below warning
    await call(client, 'delete_task', { id: 'WEB-4' }); // warning
    await notifications.waitFor((n) => n.method === 'notifications/message' && n.params.level === 'warning');
    // Notifications arrive in order: the warning came, so an info message would have come before it.
    expect(notifications.seen.filter((n) => n.method === 'notifications/message' && n.params.level === 'info')).toEqual([]);
  });
});
