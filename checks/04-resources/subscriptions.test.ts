import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { callTool, linkInMemory, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { badgeUri, change, connectToBoard, listResources, projectUri, ResourceNotificationLog, seedBoard, summaryUri, taskUri, watchListeners } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const UPDATED = 'notifications/resources/updated';
const LIST_CHANGED = 'notifications/resources/list_changed';

const updatedFor = (uri: string) => (n: Notification) => n.method === UPDATED && n.params?.uri === uri;
const projectUris = (key: string) => [projectUri(key), summaryUri(key), badgeUri(key)];

describe(stepTitle(meta, 6), () => {
  const step = lesson.step(6);

  test('R6.1: the server declares resources.subscribe and answers resources/subscribe and resources/unsubscribe', async () => {
    const { client } = await connectToBoard(step);
    await subscribe(step, client, taskUri('WEB-1'));
    await unsubscribe(step, client, taskUri('WEB-1'));
  });

  test('R6.2: a change to a task through a tool notifies the subscribed task, project, summary and badge URIs', async () => {
    const { client, log } = await connectToBoard(step);
    const uris = [taskUri('WEB-1'), ...projectUris('WEB')];
    for (const uri of uris) await subscribe(step, client, uri);
    await tool(step, client, 'complete_task', { id: 'WEB-1' });
    for (const uri of uris) {
      await log.waitFor(step, `${UPDATED} for ${uri} after complete_task WEB-1 (the client subscribed to it; changedBy(event) names it)`, updatedFor(uri));
    }
  });

  test('R6.3: a new task and a deleted task notify the subscribed URIs of their project, and the deleted task\'s own', async () => {
    const { client, log } = await connectToBoard(step);
    for (const uri of [taskUri('API-1'), ...projectUris('API')]) await subscribe(step, client, uri);
    let mark = log.received.length;
    await tool(step, client, 'create_task', { project: 'API', title: 'Version the API' });
    for (const uri of projectUris('API')) {
      await log.waitFor(step, `${UPDATED} for ${uri} after create_task in API (a task-created event changes its project)`, since(log, mark, updatedFor(uri)));
    }
    mark = log.received.length;
    await tool(step, client, 'delete_task', { id: 'API-1' });
    for (const uri of [taskUri('API-1'), ...projectUris('API')]) {
      await log.waitFor(step, `${UPDATED} for ${uri} after delete_task API-1 (a task-deleted event changes the task and its project)`, since(log, mark, updatedFor(uri)));
    }
  });

  test('R6.4: only subscribed URIs are notified', async () => {
    const { client, log } = await connectToBoard(step);
    await subscribe(step, client, taskUri('WEB-2'));
    await subscribe(step, client, summaryUri('WEB'));
    // API-1 and WEB-1 change first (nothing of theirs subscribed but WEB's summary), then WEB-2
    // (subscribed). Notifications arrive in the order they were sent, so once WEB-2's has
    // arrived, any for the others would be here too.
    await tool(step, client, 'complete_task', { id: 'API-1' });
    await tool(step, client, 'complete_task', { id: 'WEB-1' });
    await tool(step, client, 'complete_task', { id: 'WEB-2' });
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-2')} (subscribed)`, updatedFor(taskUri('WEB-2')));
    const notified = log.ofMethod(UPDATED).map((n) => String(n.params?.uri));
    const unwanted = notified.filter((uri) => uri !== taskUri('WEB-2') && uri !== summaryUri('WEB'));
    step.expect(
      unwanted,
      `the client subscribed to ${taskUri('WEB-2')} and ${summaryUri('WEB')} only, so it must get no ${UPDATED} for other URIs (send only for subscribed ones)`,
    ).toEqual([]);
  });

  test('R6.5: subscribing and unsubscribing again and again leaves no store listener behind', async () => {
    const store = await seedBoard(step);
    const listeners = watchListeners(store);
    const { client } = await connectToBoard(step, store);
    await subscribe(step, client, taskUri('WEB-1'));
    await unsubscribe(step, client, taskUri('WEB-1'));
    const afterOne = listeners.active();
    for (let i = 0; i < 3; i++) {
      await subscribe(step, client, taskUri('WEB-1'));
      await unsubscribe(step, client, taskUri('WEB-1'));
    }
    step.expect(
      listeners.active(),
      'after three more subscribe/unsubscribe rounds of one URI, the store has more listeners than after the first: a listener added for a subscription must be removed on unsubscribe',
    ).toBe(afterOne);
  });

  test('R6.5: after resources/unsubscribe, no more notifications for that URI; other subscriptions go on', async () => {
    const { client, log } = await connectToBoard(step);
    await subscribe(step, client, taskUri('WEB-1'));
    await subscribe(step, client, taskUri('WEB-3'));
    await unsubscribe(step, client, taskUri('WEB-1'));
    await tool(step, client, 'complete_task', { id: 'WEB-1' });
    await tool(step, client, 'complete_task', { id: 'WEB-3' });
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-3')} (still subscribed)`, updatedFor(taskUri('WEB-3')));
    const unwanted = log.received.filter(updatedFor(taskUri('WEB-1')));
    step.expect(unwanted, `the client unsubscribed from ${taskUri('WEB-1')}: no ${UPDATED} for it after that`).toHaveLength(0);
  });

  test('R6.6: two clients of one store are each notified for their own subscriptions only', async () => {
    const store = await seedBoard(step);
    const a = await connectToBoard(step, store);
    const b = await connectToBoard(step, store);
    await subscribe(step, a.client, taskUri('WEB-1'));
    await subscribe(step, a.client, taskUri('WEB-2'));
    await subscribe(step, b.client, taskUri('WEB-2'));
    await tool(step, a.client, 'complete_task', { id: 'WEB-1' });
    await tool(step, a.client, 'complete_task', { id: 'WEB-2' });
    await a.log.waitFor(step, `${UPDATED} for ${taskUri('WEB-1')} to the client that subscribed to it`, updatedFor(taskUri('WEB-1')));
    await b.log.waitFor(step, `${UPDATED} for ${taskUri('WEB-2')} to the second client, which subscribed to it`, updatedFor(taskUri('WEB-2')));
    step.expect(
      b.log.received.filter(updatedFor(taskUri('WEB-1'))),
      `only the first client subscribed to ${taskUri('WEB-1')}; the second must not be notified (keep the Set of URIs inside registerSubscriptions, one per server)`,
    ).toHaveLength(0);
  });

  test('R6.7: when the client disconnects, the server stops listening to the store', async () => {
    const store = await seedBoard(step);
    const listeners = watchListeners(store);
    const { client, log } = await connectToBoard(step, store);
    await subscribe(step, client, taskUri('WEB-1'));
    await tool(step, client, 'complete_task', { id: 'WEB-1' });
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-1')} (subscribed)`, updatedFor(taskUri('WEB-1')));
    step.expect(listeners.registered(), 'the server listens to the store with store.subscribe(…)').toBeGreaterThan(0);
    // Closing the in-memory client closes the server's end too, which runs server.server.onclose.
    await client.close();
    const before = listeners.calls();
    await change(step, 'store.completeTask("WEB-3") after the client disconnected', () => store.completeTask('WEB-3'));
    step.expect(
      listeners.calls() - before,
      'after the client disconnected, the store still called the server\'s listener: call the function store.subscribe returned from server.server.onclose',
    ).toBe(0);
  });

  test('R6.7: an onclose set on server.server before registerSubscriptions still runs, and the listener stops', async () => {
    const registerSubscriptions = await step.fn<(server: unknown, store: unknown) => void>('registerSubscriptions', 'src/subscriptions.ts');
    const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
    const store = await seedBoard(step);
    const listeners = watchListeners(store);
    // The capabilities up front, so this works whether registerSubscriptions declares them (as the
    // README shows) or createServer does in the McpServer constructor.
    const server = new McpServer({ name: 'check', version: '1.0.0' }, { capabilities: { resources: { subscribe: true, listChanged: true } } });
    let earlierOnclose = 0;
    server.server.onclose = () => {
      earlierOnclose += 1;
    };
    await step.run('registerSubscriptions(server, store)', () => registerSubscriptions(server, store));
    step.expect(listeners.registered(), 'registerSubscriptions listens to the store with store.subscribe(…)').toBeGreaterThan(0);
    const { client } = await linkInMemory(step, server);
    await client.close();
    step.expect(earlierOnclose, 'server.server.onclose was set before registerSubscriptions: keep it and call it from yours').toBe(1);
    const before = listeners.calls();
    await change(step, 'store.completeTask("WEB-1") after the client disconnected', () => store.completeTask('WEB-1'));
    step.expect(listeners.calls() - before, 'after the client disconnected, the store still called the listener of registerSubscriptions').toBe(0);
  });
});

describe(stepTitle(meta, 7), () => {
  const step = lesson.step(7);

  test('R7.1: the server declares resources.listChanged', async () => {
    const { client } = await connectToBoard(step);
    step.expect(client.getServerCapabilities()?.resources?.listChanged, 'the server declares capabilities.resources.listChanged = true').toBe(true);
  });

  test('R7.2: a new project sends list_changed, and then appears in resources/list', async () => {
    const { client, store, log } = await connectToBoard(step);
    requireListChanged(step, client);
    await change(step, 'store.createProject({ key: "DOCS", … })', () => store.createProject({ key: 'DOCS', name: 'Documentation' }));
    await log.waitFor(step, `${LIST_CHANGED} after a project was created (a project-created event)`, (n) => n.method === LIST_CHANGED);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    step.expect(listed, `after ${LIST_CHANGED}, resources/list includes the new project`).toContain(projectUri('DOCS'));
  });

  test('R7.3: a task created through create_task sends list_changed, and then appears in resources/list', async () => {
    const { client, log } = await connectToBoard(step);
    requireListChanged(step, client);
    await tool(step, client, 'create_task', { project: 'API', title: 'Version the API' });
    await log.waitFor(step, `${LIST_CHANGED} after create_task (a task-created event: a new entry of resources/list)`, (n) => n.method === LIST_CHANGED);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    step.expect(listed, 'the new task API-3 is in resources/list').toContain(taskUri('API-3'));
  });

  test('R7.4: a task deleted through delete_task sends list_changed, and then leaves resources/list', async () => {
    const { client, log } = await connectToBoard(step);
    requireListChanged(step, client);
    await tool(step, client, 'delete_task', { id: 'WEB-3' });
    await log.waitFor(step, `${LIST_CHANGED} after delete_task (a task-deleted event: an entry leaves resources/list)`, (n) => n.method === LIST_CHANGED);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    step.expect(listed, 'the deleted task WEB-3 is no longer in resources/list').not.toContain(taskUri('WEB-3'));
  });

  test('R7.5: a changed task sends no list_changed: the list names the same resources', async () => {
    const { client, log } = await connectToBoard(step);
    requireListChanged(step, client);
    await tool(step, client, 'complete_task', { id: 'WEB-1' });
    const mark = log.received.length;
    // create_task does change the list: once its list_changed has arrived, one sent for the
    // earlier complete_task would have arrived before it (notifications keep their order).
    await tool(step, client, 'create_task', { project: 'API', title: 'Version the API' });
    await log.waitFor(step, `${LIST_CHANGED} after create_task`, since(log, mark, (n) => n.method === LIST_CHANGED));
    const early = log.received.slice(0, mark).filter((n) => n.method === LIST_CHANGED);
    step.expect(early, `complete_task WEB-1 changed a task, not which resources exist: send ${LIST_CHANGED} for project-created, task-created and task-deleted only`).toHaveLength(0);
  });
});

/** Fails at once (not after waiting) when no list_changed can come: the capability is missing. */
function requireListChanged(step: StepContext, client: Client) {
  if (!client.getServerCapabilities()?.resources?.listChanged) {
    step.fail('the server does not declare capabilities.resources.listChanged, so no client expects notifications/resources/list_changed: register a resource (McpServer declares it) or registerCapabilities({ resources: { listChanged: true } }).');
  }
}

/** A condition that only matches notifications received after the first `mark` ones. */
function since(log: ResourceNotificationLog, mark: number, test: (n: Notification) => boolean) {
  return (n: Notification) => log.received.indexOf(n) >= mark && test(n);
}

async function subscribe(step: StepContext, client: Client, uri: string) {
  if (!client.getServerCapabilities()?.resources?.subscribe) {
    step.fail(
      'the server does not declare capabilities.resources.subscribe, so a client cannot subscribe: ' +
        'server.server.registerCapabilities({ resources: { subscribe: true } }), then handle SubscribeRequestSchema and UnsubscribeRequestSchema.',
    );
  }
  await request(step, `resources/subscribe to ${uri}`, (o) => client.subscribeResource({ uri }, o));
}

async function unsubscribe(step: StepContext, client: Client, uri: string) {
  await request(step, `resources/unsubscribe of ${uri}`, (o) => client.unsubscribeResource({ uri }, o));
}

async function tool(step: StepContext, client: Client, name: string, args: Record<string, unknown>) {
  const result = await callTool(step, client, name, args);
  step.expect(result.isError ?? false, `${name} ${JSON.stringify(args)} failed: ${show(result)}`).toBe(false);
}
