import { describe, expect, test } from 'vitest';
import { callTool, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { connectToBoard } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('the handshake names the server "taskboard", with a version and instructions', async () => {
    const { client } = await connectToBoard(step);
    const info = client.getServerVersion();
    step.expect(info?.name, `serverInfo.name (the first McpServer argument)`).toBe('taskboard');
    step.expect(info?.version, `serverInfo.version should be a real version, not the starter's`).not.toBe('0.0.0');
    step.expect(info?.version, `serverInfo.version`).toMatch(/^\d+\.\d+\.\d+/);
    const instructions = client.getInstructions() ?? '';
    step.expect(instructions.trim().length, `the server should send instructions for the model`).toBeGreaterThan(20);
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('create_task is listed with a described JSON Schema', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'create_task');
    step.expect(tool.description?.trim(), 'create_task needs a description: it is how a model decides to call it').toBeTruthy();
    const schema = tool.inputSchema as { properties?: Record<string, { description?: string; enum?: string[]; default?: unknown }>; required?: string[] };
    const properties = schema.properties ?? {};
    step.expect(Object.keys(properties).sort(), 'create_task inputs').toEqual(expect.arrayContaining(['description', 'priority', 'project', 'title']));
    step.expect(schema.required ?? [], 'project and title are required').toEqual(expect.arrayContaining(['project', 'title']));
    step.expect(schema.required ?? [], 'priority has a default, so it is not required').not.toContain('priority');
    step.expect(new Set(properties.priority?.enum), 'priority is an enum of TASK_PRIORITIES').toEqual(new Set(['low', 'medium', 'high', 'urgent']));
    for (const [name, property] of Object.entries(properties)) {
      step.expect(property.description?.trim(), `input "${name}" of create_task needs .describe(…)`).toBeTruthy();
    }
  });

  test('create_task creates the task, answers with its id and defaults priority to medium', async () => {
    const { client, store } = await connectToBoard(step);
    const result = await callTool(step, client, 'create_task', { project: 'WEB', title: 'Write the release notes' });
    step.expect(result.isError ?? false, `create_task answered with an error: ${show(result)}`).toBe(false);
    const created = store.listTasks({ project: 'WEB' });
    step.expect(created.map((t) => t.title), 'the store should hold the new task').toEqual(['Write the release notes']);
    step.expect(created[0]?.priority, 'priority defaults to "medium"').toBe('medium');
    step.expect(textOf(result), 'the answer should include the new task id so the model can refer to it').toContain(created[0]!.id);

    await callTool(step, client, 'create_task', { project: 'WEB', title: 'Fix the footer', priority: 'urgent', description: 'It overlaps on mobile.' });
    const urgent = store.listTasks({ project: 'WEB', priority: ['urgent'] });
    step.expect(urgent.map((t) => [t.title, t.description]), 'priority and description are passed to the store').toEqual([['Fix the footer', 'It overlaps on mobile.']]);
  });

  test('create_task rejects bad input and answers an unknown project with a tool error', async () => {
    const { client, store } = await connectToBoard(step);
    const noTitle = await callTool(step, client, 'create_task', { project: 'WEB' });
    step.expect(noTitle.isError, `a call without a title must be rejected: ${show(noTitle)}`).toBe(true);
    const badPriority = await callTool(step, client, 'create_task', { project: 'WEB', title: 'x', priority: 'whenever' });
    step.expect(badPriority.isError, `priority "whenever" must be rejected by the schema: ${show(badPriority)}`).toBe(true);
    const unknown = await callTool(step, client, 'create_task', { project: 'NOPE', title: 'Lost task' });
    step.expect(unknown.isError, `an unknown project is a tool error (isError: true), got ${show(unknown)}`).toBe(true);
    step.expect(textOf(unknown), 'the error text should name the project that was not found').toContain('NOPE');
    step.expect(store.listTasks(), 'no task may be created by a rejected call').toHaveLength(0);
  });
});

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('list_tasks is listed with project required and status optional', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'list_tasks');
    step.expect(tool.description?.trim(), 'list_tasks needs a description').toBeTruthy();
    const schema = tool.inputSchema as { properties?: Record<string, { enum?: string[] }>; required?: string[] };
    step.expect(schema.required ?? [], 'project is required').toContain('project');
    step.expect(schema.required ?? [], 'status is optional').not.toContain('status');
    step.expect(new Set(schema.properties?.status?.enum), 'status is an enum of TASK_STATUSES').toEqual(new Set(['todo', 'in_progress', 'blocked', 'done']));
  });

  test('list_tasks shows every task of the project, filtered by status', async () => {
    const { client, store } = await connectToBoard(step);
    const a = store.createTask({ project: 'WEB', title: 'Alpha' });
    const b = store.createTask({ project: 'WEB', title: 'Beta' });
    store.completeTask(b.id);

    const all = textOf(await callTool(step, client, 'list_tasks', { project: 'WEB' }));
    step.expect(all, 'every task id appears in the listing').toContain(a.id);
    step.expect(all).toContain(b.id);

    const done = await callTool(step, client, 'list_tasks', { project: 'WEB', status: 'done' });
    step.expect(done.isError ?? false, show(done)).toBe(false);
    step.expect(textOf(done), 'status "done" lists the done task').toContain(b.id);
    step.expect(textOf(done), 'status "done" leaves out the task still to do').not.toContain(a.id);
  });
});

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('complete_task marks the task done', async () => {
    const { client, store } = await connectToBoard(step);
    const task = store.createTask({ project: 'WEB', title: 'Ship it' });
    const result = await callTool(step, client, 'complete_task', { id: task.id });
    step.expect(result.isError ?? false, `complete_task failed: ${show(result)}`).toBe(false);
    step.expect(store.getTask(task.id).status, 'the task should be done in the store').toBe('done');
    step.expect(textOf(result), 'the answer names the task').toContain(task.id);
  });

  test('an unknown id and a task already done are tool errors that say what is wrong', async () => {
    const { client, store } = await connectToBoard(step);
    const missing = await callTool(step, client, 'complete_task', { id: 'WEB-999' });
    step.expect(missing.isError, `completing WEB-999 (no such task) must answer isError: true, got ${show(missing)}`).toBe(true);
    step.expect(textOf(missing), 'the error text names the missing task, so the model can correct itself').toContain('WEB-999');

    const task = store.createTask({ project: 'WEB', title: 'Twice' });
    await callTool(step, client, 'complete_task', { id: task.id });
    const again = await callTool(step, client, 'complete_task', { id: task.id });
    step.expect(again.isError, `completing a done task must answer isError: true, got ${show(again)}`).toBe(true);
    step.expect(textOf(again), 'the error text names the task, so the model knows which call failed').toContain(task.id);
  });
});
