import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, test } from 'vitest';
import { callTool, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { connectToBoard, listResources, projectUri, taskUri } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const UPDATED = 'notifications/resources/updated';
const LIST_CHANGED = 'notifications/resources/list_changed';

const updatedFor = (uri: string) => (n: Notification) => n.method === UPDATED && n.params?.uri === uri;

describe(stepTitle(meta, 6), () => {
  const step = lesson.step(6);

  test('the server declares resources.subscribe and notifies a subscriber when its task changes', async () => {
    const { client, log } = await connectToBoard(step);
    step.expect(client.getServerCapabilities()?.resources?.subscribe, 'the server declares capabilities.resources.subscribe = true').toBe(true);
    await subscribe(step, client, taskUri('WEB-1'));
    await completeTask(step, client, 'WEB-1');
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-1')} after complete_task WEB-1 (the client subscribed to it)`, updatedFor(taskUri('WEB-1')));
  });

  test('only subscribed URIs are notified', async () => {
    const { client, log } = await connectToBoard(step);
    await subscribe(step, client, taskUri('WEB-2'));
    // WEB-1 changes first (nobody subscribed to it), then WEB-2 (subscribed). Notifications arrive
    // in the order they were sent, so once WEB-2's has arrived, one for WEB-1 would be here too.
    await completeTask(step, client, 'WEB-1');
    await completeTask(step, client, 'WEB-2');
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-2')} (subscribed)`, updatedFor(taskUri('WEB-2')));
    const unwanted = log.received.filter(updatedFor(taskUri('WEB-1')));
    step.expect(unwanted, `the client never subscribed to ${taskUri('WEB-1')}, so it must get no ${UPDATED} for it: send only for subscribed URIs`).toHaveLength(0);
  });

  test('after resources/unsubscribe, no more notifications for that URI', async () => {
    const { client, log } = await connectToBoard(step);
    await subscribe(step, client, taskUri('WEB-1'));
    await subscribe(step, client, taskUri('WEB-3'));
    await request(step, `resources/unsubscribe of ${taskUri('WEB-1')}`, (o) => client.unsubscribeResource({ uri: taskUri('WEB-1') }, o));
    await completeTask(step, client, 'WEB-1');
    await completeTask(step, client, 'WEB-3');
    await log.waitFor(step, `${UPDATED} for ${taskUri('WEB-3')} (still subscribed)`, updatedFor(taskUri('WEB-3')));
    const unwanted = log.received.filter(updatedFor(taskUri('WEB-1')));
    step.expect(unwanted, `the client unsubscribed from ${taskUri('WEB-1')}: no ${UPDATED} for it after that`).toHaveLength(0);
  });
});

describe(stepTitle(meta, 7), () => {
  const step = lesson.step(7);

  test('a new project sends list_changed, and then appears in resources/list', async () => {
    const { client, store, log } = await connectToBoard(step);
    step.expect(client.getServerCapabilities()?.resources?.listChanged, 'the server declares capabilities.resources.listChanged = true').toBe(true);
    store.createProject({ key: 'DOCS', name: 'Documentation' });
    await log.waitFor(step, `${LIST_CHANGED} after a project was created`, (n) => n.method === LIST_CHANGED);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    step.expect(listed, `after ${LIST_CHANGED}, resources/list includes the new project`).toContain(projectUri('DOCS'));
  });

  test('a task created through create_task sends list_changed too', async () => {
    const { client, log } = await connectToBoard(step);
    step.expect(client.getServerCapabilities()?.resources?.listChanged, 'the server declares capabilities.resources.listChanged = true').toBe(true);
    const result = await callTool(step, client, 'create_task', { project: 'API', title: 'Version the API' });
    step.expect(result.isError ?? false, `create_task failed: ${show(result)}`).toBe(false);
    await log.waitFor(step, `${LIST_CHANGED} after create_task (the new task's URI is a new entry of resources/list)`, (n) => n.method === LIST_CHANGED);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    step.expect(listed, 'the new task API-2 is in resources/list').toEqual(expect.arrayContaining([taskUri('API-2')]));
  });
});

async function subscribe(step: StepContext, client: Client, uri: string) {
  if (!client.getServerCapabilities()?.resources?.subscribe) {
    step.fail(
      'the server does not declare capabilities.resources.subscribe, so a client cannot subscribe: ' +
        'server.server.registerCapabilities({ resources: { subscribe: true } }), then handle SubscribeRequestSchema and UnsubscribeRequestSchema.',
    );
  }
  await request(step, `resources/subscribe to ${uri}`, (o) => client.subscribeResource({ uri }, o));
}

async function completeTask(step: StepContext, client: Client, id: string) {
  const result = await callTool(step, client, 'complete_task', { id });
  step.expect(result.isError ?? false, `complete_task ${id} failed: ${show(result)}`).toBe(false);
}
