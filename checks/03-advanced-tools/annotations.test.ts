import { describe, test } from 'vitest';
import { callTool, listTools, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { annotationsOf, connectToBoard } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** Where each tool of the lesson is registered, for messages. */
const FILE_OF: Record<string, string> = { search_tasks: 'src/search.ts', import_tasks: 'src/import.ts', estimate_task: 'src/estimate.ts' };
const where = (tool: string) => (FILE_OF[tool] ? ` (in ${FILE_OF[tool]})` : '');

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

/** Every property at every depth (inside objects and list items) that has no description, as dotted paths. */
function undescribed(schema: Schema, path = ''): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${name}` : name;
    if (!property.description?.trim()) missing.push(here);
    missing.push(...undescribed(property, here));
    if (property.items) missing.push(...undescribed(property.items, `${here}[]`));
  }
  return missing;
}

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('R3.1: every tool sets readOnlyHint and openWorldHint, and every tool that changes the board also destructiveHint and idempotentHint', async () => {
    const { client } = await connectToBoard(step);
    const tools = await listTools(step, client);
    step.expect(tools.map((t) => t.name), 'register delete_task too (step 3)').toContain('delete_task');
    for (const tool of tools) {
      const a = tool.annotations;
      if (!a) return step.fail(`${tool.name}${where(tool.name)} has no annotations: add \`annotations: { readOnlyHint, destructiveHint, idempotentHint, openWorldHint }\` to its config.`);
      step.expect(typeof a.readOnlyHint, `${tool.name}${where(tool.name)}: set readOnlyHint (true or false) explicitly`).toBe('boolean');
      step.expect(typeof a.openWorldHint, `${tool.name}${where(tool.name)}: set openWorldHint (true or false) explicitly`).toBe('boolean');
      if (a.readOnlyHint === false) {
        step.expect(typeof a.destructiveHint, `${tool.name}${where(tool.name)} changes the board: set destructiveHint explicitly (its default is true)`).toBe('boolean');
        step.expect(typeof a.idempotentHint, `${tool.name}${where(tool.name)} changes the board: set idempotentHint explicitly`).toBe('boolean');
      }
    }
  });

  test('R3.2: search_tasks and list_tasks say they only read, and only the board', async () => {
    const { client } = await connectToBoard(step);
    for (const name of ['search_tasks', 'list_tasks']) {
      const a = annotationsOf(await requireTool(step, client, name));
      step.expect(a.readOnlyHint, `${name}${where(name)} changes nothing: readOnlyHint true`).toBe(true);
      step.expect(a.openWorldHint, `${name}${where(name)} reads only the board: openWorldHint false`).toBe(false);
    }
  });

  test('R3.3: create_task and complete_task tell the truth about their effects', async () => {
    const { client } = await connectToBoard(step);
    const create = annotationsOf(await requireTool(step, client, 'create_task'));
    step.expect(create.readOnlyHint, 'create_task changes the board: readOnlyHint false').toBe(false);
    step.expect(create.destructiveHint, 'create_task only adds: destructiveHint false').toBe(false);
    step.expect(create.idempotentHint, 'create_task called twice creates two tasks: idempotentHint false').toBe(false);
    step.expect(create.openWorldHint, 'create_task touches only the board: openWorldHint false').toBe(false);
    const complete = annotationsOf(await requireTool(step, client, 'complete_task'));
    step.expect(complete.readOnlyHint, 'complete_task changes the board: readOnlyHint false').toBe(false);
    step.expect(complete.idempotentHint, 'completing a task twice changes nothing more: idempotentHint true').toBe(true);
    step.expect(complete.openWorldHint, 'complete_task touches only the board: openWorldHint false').toBe(false);
  });

  test('R3.4: delete_task takes a required, described id with the task id pattern, and says it is destructive', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'delete_task');
    step.expect(tool.description?.trim(), 'delete_task needs a description').toBeTruthy();
    const schema = tool.inputSchema as { properties?: Record<string, { type?: string; pattern?: string; description?: string }>; required?: string[] };
    const id = schema.properties?.id;
    if (!id) return step.fail(`delete_task takes an input named "id", got ${show(schema.properties)}`);
    step.expect(schema.required ?? [], 'delete_task: id is required').toContain('id');
    step.expect(id.description?.trim(), 'delete_task: describe id').toBeTruthy();
    if (id.pattern === undefined) return step.fail('delete_task: id needs the task id pattern, z.string().regex(TASK_ID_PATTERN)');
    step.expect([new RegExp(id.pattern).test('WEB-12'), new RegExp(id.pattern).test('web12')], `delete_task: id's pattern (${id.pattern}) accepts "WEB-12" and refuses "web12": use TASK_ID_PATTERN`).toEqual([true, false]);
    const a = annotationsOf(tool);
    step.expect(a.readOnlyHint, 'delete_task changes the board: readOnlyHint false').toBe(false);
    step.expect(a.destructiveHint, 'delete_task removes data for good: destructiveHint true').toBe(true);
    step.expect(a.openWorldHint, 'delete_task touches only the board: openWorldHint false').toBe(false);
  });

  test('R3.5: delete_task deletes that task, only that one, and names it', async () => {
    const { client, store } = await connectToBoard(step);
    await requireTool(step, client, 'delete_task');
    const keep = store.createTask({ project: 'WEB', title: 'Keep me' });
    const doomed = store.createTask({ project: 'WEB', title: 'Delete me' });
    const after = store.createTask({ project: 'WEB', title: 'Keep me too' });
    const result = await callTool(step, client, 'delete_task', { id: doomed.id });
    step.expect(result.isError ?? false, `delete_task failed: ${show(result)}`).toBe(false);
    step.expect(store.hasTask(doomed.id), `${doomed.id} should be gone from the store`).toBe(false);
    step.expect([store.hasTask(keep.id), store.hasTask(after.id)], 'the other tasks stay').toEqual([true, true]);
    step.expect(textOf(result), 'the answer names the deleted task').toContain(doomed.id);
  });
  test('R3.6: every tool has a description, and so has every input, nested fields and list items included', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'delete_task');
    const tools = await listTools(step, client);
    for (const tool of tools) {
      step.expect(tool.description?.trim(), `${tool.name}${where(tool.name)} needs a description`).toBeTruthy();
      step.expect(undescribed(tool.inputSchema as Schema), `${tool.name}${where(tool.name)}: every input, nested ones too, needs .describe(…): these have none`).toEqual([]);
    }
  });
});
