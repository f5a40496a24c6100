import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, test } from 'vitest';
import { show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { httpClient, ok, refused, seed, ServerProcess, SLOW, tasksOf } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** The JSON-RPC error code a rejected request carries, or undefined when it did not fail. */
async function errorCode(step: StepContext, what: string, send: () => Promise<unknown>): Promise<number | undefined> {
  try {
    const result = await send();
    return step.fail(`${what} should be refused with a JSON-RPC error, but it answered ${show(result)}`);
  } catch (error) {
    if ((error as Error).name === 'CheckFailure') throw error;
    return (error as { code?: number }).code;
  }
}

describe(stepTitle(meta, 3), () => {
  const step: StepContext = lesson.step(3);

  test('R-TOOLS-1: the five tools are listed with descriptions and input schemas; list_tasks is read-only', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    const { tools } = await step.run('tools/list', () => client.listTools());
    for (const name of ['create_project', 'create_task', 'list_tasks', 'set_status', 'import_tasks']) {
      const tool = step.require(tools.find((t) => t.name === name), `tools/list should list ${name}; it lists ${tools.map((t) => t.name).join(', ') || 'nothing'}`);
      step.expect((tool.description ?? '').trim().length > 0, `${name} needs a description`).toBe(true);
      step.expect(tool.inputSchema?.type, `${name} needs an input schema (an object)`).toBe('object');
    }
    step.expect(tools.find((t) => t.name === 'list_tasks')?.annotations?.readOnlyHint, 'list_tasks should be annotated readOnlyHint: true').toBe(true);
  });

  test('R-TOOLS-2, R-TOOLS-3: create_project and create_task answer what they made; list_tasks filters by status, oldest first', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await ok(step, client, 'create_project', { key: 'WEB', name: 'Website' });
    await refused(step, client, 'create_project', { key: 'WEB', name: 'Again' }, 'the key WEB is taken');
    const first = await ok(step, client, 'create_task', { project: 'WEB', title: 'Fix login' });
    step.expect(first.task, 'create_task answers structuredContent.task').toEqual(expect.objectContaining({ id: 'WEB-1', title: 'Fix login', status: 'todo', priority: 'medium', assignee: null }));
    const second = await ok(step, client, 'create_task', { project: 'WEB', title: 'Urgent one', priority: 'urgent', assignee: 'bob', labels: ['ops'] });
    step.expect(second.task, 'a given priority, assignee and labels are kept').toEqual(expect.objectContaining({ id: 'WEB-2', priority: 'urgent', assignee: 'bob', labels: ['ops'] }));
    await ok(step, client, 'create_task', { project: 'WEB', title: 'Third' });
    await ok(step, client, 'set_status', { id: 'WEB-1', status: 'in_progress' });
    await ok(step, client, 'set_status', { id: 'WEB-3', status: 'in_progress' });
    step.expect((await tasksOf(step, client, 'WEB')).map((t) => t.id), 'list_tasks without status: every task, oldest first').toEqual(['WEB-1', 'WEB-2', 'WEB-3']);
    step.expect((await tasksOf(step, client, 'WEB', 'in_progress')).map((t) => t.id), 'list_tasks {status: "in_progress"}: only those').toEqual(['WEB-1', 'WEB-3']);
    step.expect((await tasksOf(step, client, 'WEB', 'todo')).map((t) => t.id), 'list_tasks {status: "todo"}').toEqual(['WEB-2']);
  });

  test('R-TOOLS-4, R-TOOLS-5: mistakes are tool errors that change nothing; import_tasks takes 1–5000 items', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await seed(step, client, 'WEB', ['Only task']);
    await refused(step, client, 'create_task', { project: 'NOPE', title: 'x' }, 'there is no project NOPE');
    await refused(step, client, 'create_task', { project: 'WEB', title: 'x', priority: 'huge' }, 'huge is not a priority');
    await refused(step, client, 'set_status', { id: 'WEB-99', status: 'done' }, 'there is no task WEB-99');
    await refused(step, client, 'set_status', { id: 'not an id', status: 'done' }, '"not an id" is not a task id');
    await refused(step, client, 'import_tasks', { project: 'WEB', items: Array.from({ length: 5001 }, (_, i) => ({ title: `t${i}` })) }, 'at most 5000 items');
    step.expect((await tasksOf(step, client, 'WEB')).map((t) => [t.id, t.status]), 'the refused calls leave the board unchanged').toEqual([['WEB-1', 'todo']]);
    const imported = await ok(step, client, 'import_tasks', { project: 'WEB', items: [{ title: 'a' }, { title: 'b', priority: 'high' }] });
    step.expect(imported, 'import_tasks answers {created, ids}').toEqual(expect.objectContaining({ created: 2, ids: ['WEB-2', 'WEB-3'] }));
    const big = await ok(step, client, 'import_tasks', { project: 'WEB', items: Array.from({ length: 5000 }, (_, i) => ({ title: `bulk ${i}` })) });
    step.expect(big.created, 'an import of exactly 5000 items is allowed').toBe(5000);
  });
});

describe(stepTitle(meta, 4), () => {
  const step: StepContext = lesson.step(4);

  test('R-RES-1: taskboard://tasks/{id} reads as the task in JSON; an unknown id is -32002', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await seed(step, client, 'WEB', ['One', { title: 'Two', assignee: 'bob' }]);
    await ok(step, client, 'set_status', { id: 'WEB-2', status: 'blocked' });
    const read = await step.run('resources/read taskboard://tasks/WEB-2', () => client.readResource({ uri: 'taskboard://tasks/WEB-2' }));
    const content = step.require(read.contents[0], `resources/read should answer one content, got ${show(read)}`) as { mimeType?: string; text?: string; uri: string };
    step.expect(content.mimeType, 'the task resource is application/json').toBe('application/json');
    let task: Record<string, unknown> = {};
    try {
      task = JSON.parse(content.text ?? '');
    } catch {
      step.fail(`the content's text should be the task as JSON, got ${show(content.text)}`);
    }
    step.expect(task, 'the JSON is the task').toEqual(expect.objectContaining({ id: 'WEB-2', title: 'Two', status: 'blocked', assignee: 'bob' }));
    const code = await errorCode(step, 'resources/read taskboard://tasks/WEB-77', () => client.readResource({ uri: 'taskboard://tasks/WEB-77' }));
    step.expect(code, 'reading an unknown task is the protocol error -32002 (resource not found)').toBe(-32002);
  });

  test('R-RES-2: a subscriber hears of each change to its task, and of none after unsubscribing', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    const [a, b] = await seed(step, client, 'WEB', ['Watched, then not', 'Watched']);
    const seen: string[] = [];
    let wake = () => {};
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      seen.push(n.params.uri);
      wake();
    });
    const waitFor = async (uri: string, count: number) => {
      const deadline = Date.now() + 15_000;
      while (seen.filter((u) => u === uri).length < count) {
        if (Date.now() > deadline) step.fail(`after a change to a subscribed task, notifications/resources/updated {uri: "${uri}"} should arrive; received: ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 500);
        });
      }
    };
    const uriA = `taskboard://tasks/${a}`;
    const uriB = `taskboard://tasks/${b}`;
    await step.run(`resources/subscribe ${uriA}`, () => client.subscribeResource({ uri: uriA }));
    await step.run(`resources/subscribe ${uriB}`, () => client.subscribeResource({ uri: uriB }));
    await ok(step, client, 'set_status', { id: a!, status: 'in_progress' });
    await waitFor(uriA, 1);
    await step.run(`resources/unsubscribe ${uriA}`, () => client.unsubscribeResource({ uri: uriA }));
    await ok(step, client, 'set_status', { id: a!, status: 'done' });
    // B's notification comes after A's change on the same stream: once it is here, one for A would be too.
    await ok(step, client, 'set_status', { id: b!, status: 'blocked' });
    await waitFor(uriB, 1);
    step.expect(seen.filter((u) => u === uriA).length, `after resources/unsubscribe, a change to ${a} must send no notification; received: ${JSON.stringify(seen)}`).toBe(1);
  });
});

describe(stepTitle(meta, 5), () => {
  const step: StepContext = lesson.step(5);

  test('R-PROMPT-1: triage names every open task and no done one; an unknown project is -32602', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server);
    await seed(step, client, 'WEB', ['Open one', 'Finished', 'Blocked one', 'In progress']);
    await seed(step, client, 'API', ['Other project']);
    await ok(step, client, 'set_status', { id: 'WEB-2', status: 'done' });
    await ok(step, client, 'set_status', { id: 'WEB-3', status: 'blocked' });
    await ok(step, client, 'set_status', { id: 'WEB-4', status: 'in_progress' });
    const prompt = await step.run('prompts/get triage {project: "WEB"}', () => client.getPrompt({ name: 'triage', arguments: { project: 'WEB' } }));
    step.expect(prompt.messages.length, 'one message').toBe(1);
    const message = prompt.messages[0]!;
    step.expect(message.role, 'the message is the user\'s').toBe('user');
    const text = message.content.type === 'text' ? message.content.text : '';
    for (const id of ['WEB-1', 'WEB-3', 'WEB-4']) step.expect(new RegExp(`\\b${id}\\b`).test(text), `the triage text should name the open task ${id}: ${show(text)}`).toBe(true);
    step.expect(/\bWEB-2\b/.test(text), `the triage text should not name WEB-2, which is done: ${show(text)}`).toBe(false);
    step.expect(/\bAPI-1\b/.test(text), 'the triage text is about WEB only').toBe(false);
    const code = await errorCode(step, 'prompts/get triage {project: "NOPE"}', () => client.getPrompt({ name: 'triage', arguments: { project: 'NOPE' } }));
    step.expect(code, 'triage of an unknown project is the protocol error -32602').toBe(-32602);
  });
});
