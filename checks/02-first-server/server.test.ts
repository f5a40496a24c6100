import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, test } from 'vitest';
import { callTool, requireTool, show, stepTitle, textOf, useLesson, type StepContext } from '../harness/index.js';
import { connectToBoard, connectToSeededBoard, idsIn } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface Property {
  type?: string;
  description?: string;
  enum?: string[];
  pattern?: string;
  maxLength?: number;
}
interface Schema {
  properties?: Record<string, Property>;
  required?: string[];
}

const schemaOf = (tool: Tool) => tool.inputSchema as Schema;

/**
 * The input's schema must carry a pattern that accepts the same values as the reference pattern
 * (any spelling of it will do): a model reads the pattern in tools/list before it calls.
 */
function expectPattern(step: StepContext, tool: Tool, input: string, accepts: string[], rejects: string[], what: string) {
  const pattern = schemaOf(tool).properties?.[input]?.pattern;
  step.require(pattern, `input "${input}" of ${tool.name} must be a string with a pattern (${what}): .regex(…) puts it in the JSON Schema; got ${JSON.stringify(schemaOf(tool).properties?.[input])}`);
  const regex = new RegExp(pattern!);
  for (const value of accepts) step.expect(regex.test(value), `the pattern of ${tool.name}'s "${input}" (${pattern}) must accept "${value}" (${what})`).toBe(true);
  for (const value of rejects) step.expect(regex.test(value), `the pattern of ${tool.name}'s "${input}" (${pattern}) must reject "${value}" (${what})`).toBe(false);
}

const PROJECT_KEYS = { accepts: ['WEB', 'API', 'A1', 'QA2', 'ABCDEFGHIJ'], rejects: ['web', 'W', 'WEB-1', '1AB', 'ABCDEFGHIJK', ' WEB', 'WEB '] };
const TASK_IDS = { accepts: ['WEB-12', 'A1-1', 'API-300'], rejects: ['web-12', 'WEB12', 'WEB-0', 'WEB-012', 'WEB-', 'W-1', 'WEB-1x', ' WEB-1'] };

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('R1.1, R1.2: the handshake names the server "taskboard", with a version and instructions', async () => {
    const { client } = await connectToBoard(step);
    const info = client.getServerVersion();
    step.expect(info?.name, `serverInfo.name (the first McpServer argument)`).toBe('taskboard');
    step.expect(info?.version, `serverInfo.version should be a real version, not the starter's`).not.toBe('0.0.0');
    step.expect(info?.version, `serverInfo.version is a semantic version (like 0.2.0)`).toMatch(/^\d+\.\d+\.\d+/);
    const instructions = client.getInstructions() ?? '';
    step.expect(instructions.trim().length, `the server should send instructions (more than 20 characters) for the model`).toBeGreaterThan(20);
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('R2.1: create_task is listed with a described JSON Schema', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'create_task');
    step.expect(tool.description?.trim(), 'create_task needs a description: it is how a model decides to call it').toBeTruthy();
    const schema = schemaOf(tool);
    const properties = schema.properties ?? {};
    step.expect(Object.keys(properties), 'create_task inputs').toEqual(expect.arrayContaining(['description', 'priority', 'project', 'title']));
    step.expect(schema.required ?? [], 'project and title are required').toEqual(expect.arrayContaining(['project', 'title']));
    step.expect(schema.required ?? [], 'priority has a default, so it is not required').not.toContain('priority');
    step.expect(schema.required ?? [], 'description is optional').not.toContain('description');
    step.expect([...(properties.priority?.enum ?? [])].sort(), 'priority is an enum of exactly TASK_PRIORITIES').toEqual(['high', 'low', 'medium', 'urgent']);
    for (const name of ['project', 'title', 'description', 'priority']) {
      step.expect(properties[name]?.description?.trim(), `input "${name}" of create_task needs .describe(…)`).toBeTruthy();
    }
  });

  test('R2.2: create_task limits project to PROJECT_KEY_PATTERN and title to 1–200 characters', async () => {
    const { client, store } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'create_task');
    expectPattern(step, tool, 'project', PROJECT_KEYS.accepts, PROJECT_KEYS.rejects, 'PROJECT_KEY_PATTERN');
    const longest = await callTool(step, client, 'create_task', { project: 'WEB', title: 'x'.repeat(200) });
    step.expect(longest.isError ?? false, `a title of exactly 200 characters is allowed: ${show(longest)}`).toBe(false);
    for (const [args, why] of [
      [{ project: 'WEB', title: 'y'.repeat(201) }, 'a title of 201 characters (the limit is 200)'],
      [{ project: 'WEB', title: '' }, 'an empty title'],
      [{ project: 'web', title: 'Lower-case key' }, 'a project key that does not match PROJECT_KEY_PATTERN'],
    ] as const) {
      const result = await callTool(step, client, 'create_task', args);
      step.expect(result.isError, `${why} must be rejected with isError: true, got ${show(result)}`).toBe(true);
    }
    step.expect(store.listTasks().map((t) => t.title.length), 'only the 200-character title may be created').toEqual([200]);
  });

  test('R2.3: create_task creates one task, defaults priority to medium and answers with its id', async () => {
    const { client, store } = await connectToBoard(step);
    store.createTask({ project: 'WEB', title: 'Already there' });
    const result = await callTool(step, client, 'create_task', { project: 'WEB', title: 'Write the release notes' });
    step.expect(result.isError ?? false, `create_task answered with an error: ${show(result)}`).toBe(false);
    const created = store.listTasks({ project: 'WEB' }).filter((t) => t.title !== 'Already there');
    step.expect(created.map((t) => t.title), 'the store should hold exactly the new task').toEqual(['Write the release notes']);
    step.expect(created[0]?.priority, 'priority defaults to "medium"').toBe('medium');
    step.expect(idsIn(textOf(result)), `the answer names the new task's id (${created[0]?.id}) so the model can refer to it: ${show(result)}`).toContain(created[0]!.id);
  });

  test('R2.4: create_task passes priority and description to the store', async () => {
    const { client, store } = await connectToBoard(step);
    await callTool(step, client, 'create_task', { project: 'WEB', title: 'Fix the footer', priority: 'urgent', description: 'It overlaps on mobile.' });
    await callTool(step, client, 'create_task', { project: 'WEB', title: 'Tidy the CSS', priority: 'low' });
    const tasks = store.listTasks({ project: 'WEB' });
    step.expect(tasks.map((t) => [t.title, t.priority]), 'priority reaches store.createTask').toEqual([
      ['Fix the footer', 'urgent'],
      ['Tidy the CSS', 'low'],
    ]);
    step.expect(tasks[0]?.description, 'description reaches store.createTask').toBe('It overlaps on mobile.');
  });

  test('R2.5: create_task rejects a missing title and an unknown priority without creating anything', async () => {
    const { client, store } = await connectToBoard(step);
    const noTitle = await callTool(step, client, 'create_task', { project: 'WEB' });
    step.expect(noTitle.isError, `a call without a title must be rejected: ${show(noTitle)}`).toBe(true);
    const badPriority = await callTool(step, client, 'create_task', { project: 'WEB', title: 'x', priority: 'whenever' });
    step.expect(badPriority.isError, `priority "whenever" must be rejected by the schema: ${show(badPriority)}`).toBe(true);
    step.expect(store.listTasks(), 'no task may be created by a rejected call').toHaveLength(0);
  });

  test('R2.6: create_task answers an unknown project with a tool error that names it', async () => {
    const { client, store } = await connectToBoard(step);
    const unknown = await callTool(step, client, 'create_task', { project: 'NOPE', title: 'Lost task' });
    step.expect(unknown.isError, `an unknown project is a tool error (isError: true), got ${show(unknown)}`).toBe(true);
    step.expect(textOf(unknown), 'the error text should name the project that was not found').toContain('NOPE');
    step.expect(store.listTasks(), 'no task may be created by a rejected call').toHaveLength(0);
  });
});

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('R3.1: list_tasks is listed with project required (a project key) and status optional', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'list_tasks');
    step.expect(tool.description?.trim(), 'list_tasks needs a description').toBeTruthy();
    const schema = schemaOf(tool);
    step.expect(schema.required ?? [], 'project is required').toContain('project');
    step.expect(schema.required ?? [], 'status is optional').not.toContain('status');
    step.expect([...(schema.properties?.status?.enum ?? [])].sort(), 'status is an enum of exactly TASK_STATUSES').toEqual(['blocked', 'done', 'in_progress', 'todo']);
    expectPattern(step, tool, 'project', PROJECT_KEYS.accepts, PROJECT_KEYS.rejects, 'PROJECT_KEY_PATTERN, as in create_task');
  });

  test("R3.2: list_tasks shows every task of the project and none of another project's", async () => {
    const { client, ids } = await connectToSeededBoard(step);
    for (const project of ['WEB', 'API']) {
      const result = await callTool(step, client, 'list_tasks', { project });
      step.expect(result.isError ?? false, `listing ${project} failed: ${show(result)}`).toBe(false);
      step.expect(idsIn(textOf(result)), `list_tasks { project: "${project}" } names exactly the ids of ${project}'s tasks: ${show(result)}`).toEqual(ids(project));
    }
  });

  test('R3.3: list_tasks filters by each status', async () => {
    const { client, ids } = await connectToSeededBoard(step);
    for (const status of ['todo', 'in_progress', 'blocked', 'done'] as const) {
      const expected = ids('WEB', status);
      const result = await callTool(step, client, 'list_tasks', { project: 'WEB', status });
      step.expect(result.isError ?? false, `listing WEB with status "${status}" failed: ${show(result)}`).toBe(false);
      step.expect(idsIn(textOf(result)), `list_tasks { project: "WEB", status: "${status}" } names exactly the ${status} tasks (${expected.join(', ')}): ${show(result)}`).toEqual(expected);
    }
  });

  test('R3.4: an empty listing is a sentence, not an empty text', async () => {
    const { client } = await connectToSeededBoard(step);
    for (const args of [{ project: 'DOCS' }, { project: 'API', status: 'in_progress' }]) {
      const result = await callTool(step, client, 'list_tasks', args);
      step.expect(result.isError ?? false, `nothing to list is not an error: ${JSON.stringify(args)} gave ${show(result)}`).toBe(false);
      step.expect(textOf(result).trim(), `with nothing to list (${JSON.stringify(args)}), answer with a short sentence: an empty text tells a model nothing`).not.toBe('');
      step.expect(idsIn(textOf(result)), `${JSON.stringify(args)} has no tasks, so the answer names none: ${show(result)}`).toEqual([]);
    }
  });

  test('R3.5: list_tasks answers an unknown project with a tool error that names it', async () => {
    const { client } = await connectToSeededBoard(step);
    for (const args of [{ project: 'NOPE' }, { project: 'NOPE', status: 'todo' }]) {
      const result = await callTool(step, client, 'list_tasks', args);
      step.expect(result.isError, `an unknown project is a tool error (isError: true), not an empty listing: ${JSON.stringify(args)} gave ${show(result)}`).toBe(true);
      step.expect(textOf(result), 'the error text names the project that was not found').toContain('NOPE');
    }
  });
});

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('R4.1: complete_task is listed with a task id input', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'complete_task');
    step.expect(tool.description?.trim(), 'complete_task needs a description').toBeTruthy();
    step.expect(schemaOf(tool).required ?? [], 'id is required').toContain('id');
    expectPattern(step, tool, 'id', TASK_IDS.accepts, TASK_IDS.rejects, 'TASK_ID_PATTERN');
  });

  test('R4.2: complete_task marks that task done, and only that one', async () => {
    const { client, store } = await connectToSeededBoard(step);
    const before = new Map(store.listTasks().map((t) => [t.id, t.status]));
    const result = await callTool(step, client, 'complete_task', { id: 'WEB-2' });
    step.expect(result.isError ?? false, `complete_task failed: ${show(result)}`).toBe(false);
    step.expect(store.getTask('WEB-2').status, 'WEB-2 should be done in the store').toBe('done');
    step.expect(idsIn(textOf(result)), `the answer names the completed task: ${show(result)}`).toContain('WEB-2');
    for (const task of store.listTasks()) {
      if (task.id !== 'WEB-2') step.expect(task.status, `completing WEB-2 must leave ${task.id} alone`).toBe(before.get(task.id));
    }
  });

  test('R4.3: an unknown id is a tool error that names it', async () => {
    const { client } = await connectToSeededBoard(step);
    for (const id of ['WEB-999', 'NOPE-1']) {
      const missing = await callTool(step, client, 'complete_task', { id });
      step.expect(missing.isError, `completing ${id} (no such task) must answer isError: true, got ${show(missing)}`).toBe(true);
      step.expect(idsIn(textOf(missing)), `the error text names ${id}, so the model can correct itself: ${show(missing)}`).toContain(id);
    }
  });

  test('R4.4: completing a task that is already done is a tool error that names it', async () => {
    const { client, store } = await connectToSeededBoard(step);
    const again = await callTool(step, client, 'complete_task', { id: 'WEB-4' });
    step.expect(again.isError, `WEB-4 is already done: completing it must answer isError: true, got ${show(again)}`).toBe(true);
    step.expect(idsIn(textOf(again)), `the error text names the task, so the model knows which call failed: ${show(again)}`).toContain('WEB-4');
    step.expect(store.getTask('WEB-4').status, 'the task stays done').toBe('done');
  });
});
