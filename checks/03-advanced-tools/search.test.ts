import { describe, expect, test } from 'vitest';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { callTool, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { connectToBoard, readPage, seedManyTasks, seedVariedTasks, sorted, type Page } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
}

/** Every property at every depth that has no description, as dotted paths. */
function undescribed(schema: JsonSchema, path = ''): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${name}` : name;
    if (!property.description?.trim()) missing.push(here);
    missing.push(...undescribed(property, here));
  }
  return missing;
}

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('search_tasks takes a described, nested filter, a cursor and a bounded limit', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'search_tasks');
    step.expect(tool.description?.trim(), 'search_tasks needs a description').toBeTruthy();
    const schema = tool.inputSchema as JsonSchema;
    const properties = schema.properties ?? {};
    step.expect(Object.keys(properties), 'search_tasks inputs').toEqual(expect.arrayContaining(['filter', 'cursor', 'limit']));
    const required = (schema.required ?? []).filter((name) => ['filter', 'cursor', 'limit'].includes(name));
    step.expect(required, 'filter, cursor and limit are all optional (a first page needs none of them)').toEqual([]);

    const filter = properties.filter ?? {};
    step.expect(filter.type, 'filter is an object: z.object({ … })').toBe('object');
    const fields = filter.properties ?? {};
    step.expect(Object.keys(fields), 'the fields of filter').toEqual(expect.arrayContaining(['project', 'status', 'priority', 'labels', 'assignee', 'due']));
    step.expect(fields.status?.type, 'filter.status is an array of statuses').toBe('array');
    step.expect(new Set(fields.status?.items?.enum), 'filter.status items are an enum of TASK_STATUSES').toEqual(new Set(['todo', 'in_progress', 'blocked', 'done']));
    step.expect(fields.priority?.type, 'filter.priority is an array of priorities').toBe('array');
    step.expect(new Set(fields.priority?.items?.enum), 'filter.priority items are an enum of TASK_PRIORITIES').toEqual(new Set(['low', 'medium', 'high', 'urgent']));
    step.expect(fields.labels?.type, 'filter.labels is an array').toBe('array');
    step.expect(fields.labels?.items?.type, 'filter.labels holds strings').toBe('string');
    step.expect(fields.assignee?.type, 'filter.assignee is a string').toBe('string');
    const due = fields.due ?? {};
    step.expect(due.type, 'filter.due is an object { after, before }').toBe('object');
    for (const end of ['after', 'before']) {
      const date = due.properties?.[end];
      step.expect(date?.type, `filter.due.${end} is a string`).toBe('string');
      step.expect(date?.format === 'date' || date?.pattern !== undefined, `filter.due.${end} is an ISO date (z.iso.date())`).toBe(true);
    }

    step.expect(properties.cursor?.type, 'cursor is a string').toBe('string');
    const limit = properties.limit ?? {};
    step.expect(limit.type, 'limit is a whole number: z.number().int()').toBe('integer');
    step.expect(limit.maximum, 'limit has a maximum of 50').toBe(50);
    step.expect(limit.default, 'limit defaults to 20').toBe(20);
    step.expect((limit.minimum ?? -Infinity) >= 1 || (limit.exclusiveMinimum ?? -Infinity) >= 0, 'limit is at least 1').toBe(true);

    step.expect(undescribed(schema), 'every input, nested ones too, needs .describe(…): these have none').toEqual([]);
  });

  test('the filter narrows the results on every field', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    await requireTool(step, client, 'search_tasks');
    const search = async (filter: Record<string, unknown>) => sorted(readPage(step, await callTool(step, client, 'search_tasks', { filter })).ids);

    step.expect(sorted(readPage(step, await callTool(step, client, 'search_tasks', {})).ids), 'no filter: every task, in every project').toEqual(['API-1', 'WEB-1', 'WEB-2', 'WEB-3', 'WEB-4']);
    step.expect(await search({ status: ['todo', 'in_progress'] }), 'filter.status ["todo", "in_progress"]').toEqual(['API-1', 'WEB-1', 'WEB-2']);
    step.expect(await search({ priority: ['urgent'], assignee: 'ana' }), 'filter.priority ["urgent"] and filter.assignee "ana" together').toEqual(['API-1', 'WEB-4']);
    step.expect(await search({ labels: ['bug'] }), 'filter.labels ["bug"]').toEqual(['API-1', 'WEB-1', 'WEB-4']);
    step.expect(await search({ due: { after: '2026-03-01', before: '2026-03-31' } }), 'filter.due { after: "2026-03-01", before: "2026-03-31" } (both ends included)').toEqual(['API-1', 'WEB-1']);
    step.expect(await search({ due: { before: '2026-03-10' } }), 'filter.due { before: "2026-03-10" } alone').toEqual(['WEB-1', 'WEB-4']);
    step.expect(await search({ project: 'WEB', status: ['done'] }), 'filter.project "WEB" and filter.status ["done"]').toEqual(['WEB-4']);
  });

  test('pages walk every match exactly once, with an opaque cursor and no nextCursor on the last page', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(23));
    await requireTool(step, client, 'search_tasks');
    const all = Array.from({ length: 23 }, (_, i) => `WEB-${i + 1}`);

    const walk = async (limit: number | undefined) => {
      const seen: string[] = [];
      const pages: Page[] = [];
      let cursor: unknown;
      for (let n = 0; n < 30; n++) {
        const args: Record<string, unknown> = { filter: { project: 'WEB' } };
        if (limit !== undefined) args.limit = limit;
        if (cursor !== undefined) args.cursor = cursor;
        const page = readPage(step, await callTool(step, client, 'search_tasks', args));
        pages.push(page);
        seen.push(...page.ids);
        step.expect(page.ids.length, `a page holds at most limit (${limit ?? 20}) tasks`).toBeLessThanOrEqual(limit ?? 20);
        if (!page.hasNextCursor) return { seen, pages };
        step.expect(typeof page.nextCursor, 'nextCursor is a string the client passes back as cursor').toBe('string');
        step.expect(page.ids.length, 'a page with a nextCursor must not be empty (the walk would never end)').toBeGreaterThan(0);
        cursor = page.nextCursor;
      }
      return step.fail('search_tasks kept answering with a nextCursor after 30 pages: leave nextCursor out on the last page.');
    };

    const byFive = await walk(5);
    step.expect(byFive.seen.length, `limit 5 over 23 tasks: every task exactly once, got ${byFive.seen.join(', ')}`).toBe(23);
    step.expect(sorted(byFive.seen), 'limit 5: the pages together hold every task').toEqual(sorted(all));
    step.expect(byFive.pages.map((p) => p.ids.length), 'limit 5 over 23 tasks gives pages of 5, 5, 5, 5 and 3').toEqual([5, 5, 5, 5, 3]);

    const byDefault = await walk(undefined);
    step.expect(byDefault.pages.map((p) => p.ids.length), 'without a limit, pages hold 20 tasks (the default)').toEqual([20, 3]);
    step.expect(sorted(byDefault.seen), 'default limit: every task exactly once').toEqual(sorted(all));
  });

  test('limit is bounded to 1..50 and a cursor search_tasks never gave out is a tool error', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(3));
    await requireTool(step, client, 'search_tasks');
    const fifty = await callTool(step, client, 'search_tasks', { limit: 50 });
    step.expect(fifty.isError ?? false, `limit 50 (the maximum) is allowed: ${show(fifty)}`).toBe(false);
    for (const limit of [51, 500, 0]) {
      const result = await callTool(step, client, 'search_tasks', { limit });
      step.expect(result.isError, `limit ${limit} must be rejected (1 to 50): ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of limit ${limit} names the field`).toContain('limit');
    }
    const bogus = await callTool(step, client, 'search_tasks', { cursor: 'not-a-cursor-you-gave-me' });
    step.expect(bogus.isError, `a cursor the server never issued is a tool error (isError: true), got ${show(bogus)}`).toBe(true);
    step.expect(textOf(bogus).trim(), 'the error says what is wrong with the cursor').not.toBe('');
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('search_tasks declares an outputSchema for { tasks, nextCursor }', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'search_tasks');
    const schema = tool.outputSchema as JsonSchema | undefined;
    if (!schema) return step.fail('search_tasks has no outputSchema: add `outputSchema: { tasks: …, nextCursor: … }` to its config.');
    step.expect(schema.type, 'the outputSchema describes an object').toBe('object');
    const tasks = schema.properties?.tasks;
    step.expect(tasks?.type, 'outputSchema.tasks is an array').toBe('array');
    step.expect(Object.keys(tasks?.items?.properties ?? {}), 'each task in the outputSchema has an id').toContain('id');
    step.expect(schema.properties?.nextCursor?.type, 'outputSchema.nextCursor is a string').toBe('string');
    step.expect(schema.required ?? [], 'tasks is always there').toContain('tasks');
    step.expect(schema.required ?? [], 'nextCursor is optional: the last page has none').not.toContain('nextCursor');
  });

  test('structuredContent matches the outputSchema on every page, and the text carries the same tasks', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    // Listing the tools first also makes the Client check structuredContent against the outputSchema.
    const tool = await requireTool(step, client, 'search_tasks');
    if (!tool.outputSchema) return step.fail('search_tasks has no outputSchema yet.');
    const validate = new AjvJsonSchemaValidator().getValidator(tool.outputSchema);

    let cursor: unknown;
    for (let n = 0; n < 5; n++) {
      const result = await callTool(step, client, 'search_tasks', cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
      step.expect(result.isError ?? false, `search_tasks failed: ${show(result)}`).toBe(false);
      if (result.structuredContent === undefined) return step.fail(`search_tasks must return structuredContent (the page as an object), got ${show(result)}`);
      const verdict = validate(result.structuredContent);
      step.expect(verdict.errorMessage, `structuredContent must match the outputSchema: ${show(result.structuredContent)}`).toBeUndefined();
      const page = readPage(step, result);
      step.expect(page.ids.length, 'limit 2: two tasks a page, one on the last').toBeLessThanOrEqual(2);
      const text = textOf(result);
      step.expect(text.trim(), 'keep a text block next to structuredContent, for clients that only read text').not.toBe('');
      for (const id of page.ids) step.expect(text, `the text fallback mentions every task on the page (${id})`).toContain(id);
      if (!page.hasNextCursor) return;
      cursor = page.nextCursor;
    }
    step.fail('five tasks with limit 2 should take three pages, but search_tasks kept giving a nextCursor.');
  });
});
