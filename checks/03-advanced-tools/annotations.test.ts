import { describe, test } from 'vitest';
import { callTool, listTools, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { annotationsOf, connectToBoard } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** The tools that touch nothing but the Taskboard store: a closed world. */
const CLOSED_WORLD = new Set(['create_task', 'list_tasks', 'complete_task', 'delete_task', 'search_tasks', 'import_tasks']);

/** Where each tool of the lesson is registered, for messages. */
const FILE_OF: Record<string, string> = { search_tasks: 'src/search.ts', import_tasks: 'src/import.ts', estimate_task: 'src/estimate.ts' };
const where = (tool: string) => (FILE_OF[tool] ? ` (in ${FILE_OF[tool]})` : '');

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('every tool declares its annotations', async () => {
    const { client } = await connectToBoard(step);
    const tools = await listTools(step, client);
    for (const tool of tools) {
      const a = tool.annotations;
      if (!a) return step.fail(`${tool.name}${where(tool.name)} has no annotations: add \`annotations: { readOnlyHint, destructiveHint, idempotentHint, openWorldHint }\` to its config.`);
      step.expect(typeof a.readOnlyHint, `${tool.name}${where(tool.name)}: set readOnlyHint (true or false) explicitly`).toBe('boolean');
      step.expect(typeof a.openWorldHint, `${tool.name}${where(tool.name)}: set openWorldHint (true or false) explicitly`).toBe('boolean');
      if (a.readOnlyHint === false) {
        step.expect(typeof a.destructiveHint, `${tool.name}${where(tool.name)} changes the board: set destructiveHint explicitly (its default is true)`).toBe('boolean');
        step.expect(typeof a.idempotentHint, `${tool.name}${where(tool.name)} changes the board: set idempotentHint explicitly`).toBe('boolean');
      }
      if (CLOSED_WORLD.has(tool.name)) {
        step.expect(a.openWorldHint, `${tool.name}${where(tool.name)} touches only the Taskboard: openWorldHint false`).toBe(false);
      }
    }
    step.expect(tools.map((t) => t.name), 'register delete_task too (step 3)').toContain('delete_task');
  });

  test('search_tasks and list_tasks say they only read', async () => {
    const { client } = await connectToBoard(step);
    for (const name of ['search_tasks', 'list_tasks']) {
      const a = annotationsOf(await requireTool(step, client, name));
      step.expect(a.readOnlyHint, `${name}${where(name)} changes nothing: readOnlyHint true`).toBe(true);
      step.expect(a.openWorldHint, `${name} reads only the board: openWorldHint false`).toBe(false);
    }
  });

  test('delete_task deletes a task and says it is destructive', async () => {
    const { client, store } = await connectToBoard(step);
    const a = annotationsOf(await requireTool(step, client, 'delete_task'));
    step.expect(a.readOnlyHint, 'delete_task changes the board: readOnlyHint false').toBe(false);
    step.expect(a.destructiveHint, 'delete_task removes data for good: destructiveHint true').toBe(true);

    const keep = store.createTask({ project: 'WEB', title: 'Keep me' });
    const doomed = store.createTask({ project: 'WEB', title: 'Delete me' });
    const result = await callTool(step, client, 'delete_task', { id: doomed.id });
    step.expect(result.isError ?? false, `delete_task failed: ${show(result)}`).toBe(false);
    step.expect(store.hasTask(doomed.id), `${doomed.id} should be gone from the store`).toBe(false);
    step.expect(store.hasTask(keep.id), 'the other task stays').toBe(true);
    step.expect(textOf(result), 'the answer names the deleted task').toContain(doomed.id);
  });

  test('create_task and complete_task tell the truth about their effects', async () => {
    const { client } = await connectToBoard(step);
    const create = annotationsOf(await requireTool(step, client, 'create_task'));
    step.expect(create.readOnlyHint, 'create_task changes the board: readOnlyHint false').toBe(false);
    step.expect(create.destructiveHint, 'create_task only adds: destructiveHint false').toBe(false);
    step.expect(create.idempotentHint, 'create_task called twice creates two tasks: idempotentHint false').toBe(false);
    const complete = annotationsOf(await requireTool(step, client, 'complete_task'));
    step.expect(complete.readOnlyHint, 'complete_task changes the board: readOnlyHint false').toBe(false);
    step.expect(complete.idempotentHint, 'completing a task twice changes nothing more: idempotentHint true').toBe(true);
  });
});
