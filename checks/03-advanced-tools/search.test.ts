import { describe, expect, test } from 'vitest';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, requireTool, show, stepTitle, textOf, useLesson, type StepContext } from '../harness/index.js';
import { connectToBoard, readPage, seedManyTasks, seedVariedTasks, sorted, textPages, type Page } from './fixture.js';
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

/** Every id of the varied board (seedVariedTasks). */
const ALL_VARIED = ['API-1', 'API-2', 'WEB-1', 'WEB-2', 'WEB-3', 'WEB-4', 'WEB-5', 'WEB-6'];

/** The sorted ids of one search_tasks call with this filter, limit 50 so one page holds them all. */
function searcher(step: StepContext, client: Client) {
  return async (filter: Record<string, unknown>) =>
    sorted(readPage(step, await callTool(step, client, 'search_tasks', { filter, limit: 50 })).ids);
}

/** The result of walking every page with this limit (undefined: the default), following nextCursor. */
async function walk(step: StepContext, client: Client, filter: Record<string, unknown>, limit: number | undefined) {
  const seen: string[] = [];
  const pages: Page[] = [];
  let cursor: unknown;
  for (let n = 0; n < 40; n++) {
    const args: Record<string, unknown> = { filter };
    if (limit !== undefined) args.limit = limit;
    if (cursor !== undefined) args.cursor = cursor;
    const page = readPage(step, await callTool(step, client, 'search_tasks', args));
    pages.push(page);
    seen.push(...page.ids);
    step.expect(page.ids.length, `a page holds at most limit (${limit ?? 20}) tasks`).toBeLessThanOrEqual(limit ?? 20);
    if (!page.hasNextCursor) return { seen, pages, sizes: pages.map((p) => p.ids.length) };
    step.expect(typeof page.nextCursor, `nextCursor is a string the client passes back as cursor, got ${show(page.nextCursor)}`).toBe('string');
    cursor = page.nextCursor;
  }
  return step.fail('search_tasks kept answering with a nextCursor after 40 pages: leave nextCursor out on the last page.');
}

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('R1.1: search_tasks is described, takes optional filter, cursor and limit, and every input has a description', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'search_tasks');
    step.expect(tool.description?.trim(), 'search_tasks needs a description').toBeTruthy();
    const schema = tool.inputSchema as JsonSchema;
    const properties = schema.properties ?? {};
    step.expect(Object.keys(properties), 'search_tasks inputs').toEqual(expect.arrayContaining(['filter', 'cursor', 'limit']));
    const required = (schema.required ?? []).filter((name) => ['filter', 'cursor', 'limit'].includes(name));
    step.expect(required, 'filter, cursor and limit are all optional (a first page needs none of them)').toEqual([]);
    step.expect(properties.cursor?.type, 'cursor is a string').toBe('string');
    step.expect(undescribed(schema), 'every input, nested ones too, needs .describe(…): these have none').toEqual([]);
  });

  test('R1.2: filter is an object of project, status, priority, labels, assignee and due { after, before }', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'search_tasks');
    const filter = (tool.inputSchema as JsonSchema).properties?.filter ?? {};
    step.expect(filter.type, 'filter is an object: z.object({ … })').toBe('object');
    const fields = filter.properties ?? {};
    step.expect(Object.keys(fields), 'the fields of filter').toEqual(expect.arrayContaining(['project', 'status', 'priority', 'labels', 'assignee', 'due']));
    step.expect(fields.project?.type, 'filter.project is a string').toBe('string');
    const pattern = fields.project?.pattern;
    if (pattern === undefined) return step.fail('filter.project needs the key pattern: z.string().regex(PROJECT_KEY_PATTERN)');
    step.expect([new RegExp(pattern).test('WEB'), new RegExp(pattern).test('web')], `filter.project's pattern (${pattern}) accepts "WEB" and refuses "web": use PROJECT_KEY_PATTERN`).toEqual([true, false]);
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
  });

  test('R1.3: limit is a whole number from 1 to 50, default 20; anything else is a tool error naming limit', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(3));
    const tool = await requireTool(step, client, 'search_tasks');
    const limit = (tool.inputSchema as JsonSchema).properties?.limit ?? {};
    step.expect(limit.type, 'limit is a whole number: z.number().int()').toBe('integer');
    step.expect(limit.maximum, 'limit has a maximum of 50').toBe(50);
    step.expect(limit.default, 'limit defaults to 20').toBe(20);
    for (const ok of [1, 50]) {
      const result = await callTool(step, client, 'search_tasks', { limit: ok });
      step.expect(result.isError ?? false, `limit ${ok} is allowed (1 to 50): ${show(result)}`).toBe(false);
    }
    step.expect(readPage(step, await callTool(step, client, 'search_tasks', { limit: 1 })).ids.length, 'limit 1 gives a page of one task').toBe(1);
    for (const bad of [0, -1, 51, 500, 2.5]) {
      const result = await callTool(step, client, 'search_tasks', { limit: bad });
      step.expect(result.isError, `limit ${bad} must be rejected (a whole number from 1 to 50): ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of limit ${bad} names the field`).toContain('limit');
    }
  });

  test('R1.4: project and assignee keep exact matches; status and priority keep tasks with any of the listed values', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    await requireTool(step, client, 'search_tasks');
    const search = searcher(step, client);
    step.expect(sorted(readPage(step, await callTool(step, client, 'search_tasks', { limit: 50 })).ids), 'no filter: every task, in every project').toEqual(ALL_VARIED);
    step.expect(await search({}), 'an empty filter: every task').toEqual(ALL_VARIED);
    step.expect(await search({ project: 'API' }), 'filter.project "API"').toEqual(['API-1', 'API-2']);
    step.expect(await search({ assignee: 'ana' }), 'filter.assignee "ana"').toEqual(['API-1', 'WEB-1', 'WEB-4', 'WEB-6']);
    step.expect(await search({ status: ['blocked'] }), 'filter.status ["blocked"]').toEqual(['WEB-3']);
    step.expect(await search({ status: ['todo', 'in_progress'] }), 'filter.status ["todo", "in_progress"]: tasks in either status').toEqual(['API-1', 'API-2', 'WEB-1', 'WEB-2', 'WEB-5', 'WEB-6']);
    step.expect(await search({ priority: ['urgent'] }), 'filter.priority ["urgent"]').toEqual(['API-1', 'WEB-4', 'WEB-5']);
    step.expect(await search({ priority: ['high', 'low'] }), 'filter.priority ["high", "low"]: tasks of either priority').toEqual(['API-2', 'WEB-1', 'WEB-3']);
  });

  test('R1.5: labels keeps only the tasks carrying every listed label, not just one of them', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    await requireTool(step, client, 'search_tasks');
    const search = searcher(step, client);
    step.expect(await search({ labels: ['bug'] }), 'filter.labels ["bug"]').toEqual(['API-1', 'WEB-1', 'WEB-4', 'WEB-5']);
    step.expect(await search({ labels: ['bug', 'auth'] }), 'filter.labels ["bug", "auth"]: only tasks carrying both (WEB-4 has only "bug", API-2 only "auth")').toEqual(['WEB-1', 'WEB-5']);
    step.expect(await search({ labels: ['auth', 'release'] }), 'filter.labels ["auth", "release"]: no task carries both').toEqual([]);
  });

  test('R1.6: due.after and due.before include both ends, work alone or together, and never match a task without a due date', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    await requireTool(step, client, 'search_tasks');
    const search = searcher(step, client);
    step.expect(await search({ due: { after: '2026-03-01', before: '2026-03-31' } }), 'filter.due { after: "2026-03-01", before: "2026-03-31" }: API-2 (due 03-01) and WEB-5 (due 03-31) are on the ends and count').toEqual(['API-1', 'API-2', 'WEB-1', 'WEB-5']);
    step.expect(await search({ due: { after: '2026-03-20' } }), 'filter.due { after: "2026-03-20" } alone: due on or after that day').toEqual(['API-1', 'WEB-2', 'WEB-5']);
    step.expect(await search({ due: { before: '2026-03-01' } }), 'filter.due { before: "2026-03-01" } alone: due on or before that day, and tasks without a due date never match').toEqual(['API-2', 'WEB-4']);
  });

  test('R1.7: all given filter fields apply together', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    await requireTool(step, client, 'search_tasks');
    const search = searcher(step, client);
    step.expect(await search({ priority: ['urgent'], assignee: 'ana' }), 'filter.priority ["urgent"] and filter.assignee "ana" (WEB-5 is urgent but ben\'s)').toEqual(['API-1', 'WEB-4']);
    step.expect(await search({ project: 'WEB', status: ['todo'], labels: ['bug'], assignee: 'ana' }), 'project WEB, status todo, label bug and assignee ana, all at once').toEqual(['WEB-1']);
    step.expect(await search({ project: 'WEB', status: ['done'] }), 'filter.project "WEB" and filter.status ["done"]').toEqual(['WEB-4']);
    step.expect(await search({ priority: ['high', 'urgent'], due: { before: '2026-03-15' } }), 'priority high or urgent, due by 2026-03-15').toEqual(['API-2', 'WEB-1', 'WEB-4']);
  });

  test('R1.8: the answer carries the page as JSON text { tasks: [{ id, … }], nextCursor? }', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(7));
    await requireTool(step, client, 'search_tasks');
    const result = await callTool(step, client, 'search_tasks', { filter: { project: 'WEB' }, limit: 5 });
    step.expect(result.isError ?? false, `search_tasks failed: ${show(result)}`).toBe(false);
    const pages = textPages(result);
    if (pages.length === 0) {
      return step.fail(`answer with the page as JSON text, { content: [{ type: "text", text: JSON.stringify(page) }] } where page = { tasks, nextCursor }, got ${show(result)}`);
    }
    const page = readPage(step, result);
    step.expect(pages[0]!.ids, 'the JSON text lists the tasks of the page, each with its id').toEqual(page.ids);
    step.expect(typeof pages[0]!.nextCursor, 'the JSON text of a page with more to come carries nextCursor').toBe('string');
  });

  test('R1.9: following nextCursor visits every match exactly once, limit tasks a page, and the last page has no nextCursor', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(25));
    await requireTool(step, client, 'search_tasks');
    const all = sorted(Array.from({ length: 25 }, (_, i) => `WEB-${i + 1}`));
    const filter = { project: 'WEB' };

    const byFive = await walk(step, client, filter, 5);
    step.expect(byFive.seen.length, `limit 5 over 25 matches: every task exactly once, got ${byFive.seen.join(', ')}`).toBe(25);
    step.expect(sorted(byFive.seen), 'limit 5: the pages together hold every match of the filter (and only those)').toEqual(all);
    step.expect(byFive.sizes, 'limit 5 over 25 matches: five full pages, and no nextCursor on the fifth (no more tasks follow it)').toEqual([5, 5, 5, 5, 5]);

    const bySix = await walk(step, client, filter, 6);
    step.expect(bySix.sizes, 'limit 6 over 25 matches gives pages of 6, 6, 6, 6 and 1').toEqual([6, 6, 6, 6, 1]);
    step.expect(sorted(bySix.seen), 'limit 6: every match exactly once').toEqual(all);

    const byDefault = await walk(step, client, filter, undefined);
    step.expect(byDefault.sizes, 'without a limit, pages hold 20 tasks (the default)').toEqual([20, 5]);
    step.expect(sorted(byDefault.seen), 'default limit: every match exactly once').toEqual(all);

    const byFifty = await walk(step, client, filter, 50);
    step.expect(byFifty.sizes, 'limit 50 over 25 matches: one page, without nextCursor').toEqual([25]);
  });

  test('R1.10: the cursor is opaque, and a cursor search_tasks never gave out is a tool error', async () => {
    const { client } = await connectToBoard(step, {}, seedManyTasks(3));
    await requireTool(step, client, 'search_tasks');
    const first = readPage(step, await callTool(step, client, 'search_tasks', { limit: 1 }));
    step.expect(typeof first.nextCursor, 'a first page of 1 out of 3 tasks has a nextCursor').toBe('string');
    step.expect(/^\s*\d+\s*$/.test(String(first.nextCursor)), `nextCursor must be opaque, not the bare offset (${show(first.nextCursor)}): encode it, base64url JSON say`).toBe(false);
    const never = ['not-a-cursor-you-gave-me', Buffer.from('{"x":1}').toString('base64url'), '%%%'];
    for (const cursor of never) {
      const bogus = await callTool(step, client, 'search_tasks', { cursor });
      step.expect(bogus.isError, `the cursor ${JSON.stringify(cursor)} was never given out: answer with a tool error (isError: true), got ${show(bogus)}`).toBe(true);
      step.expect(textOf(bogus).trim(), 'the error says what is wrong with the cursor').not.toBe('');
    }
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('R2.1: search_tasks declares an outputSchema for { tasks: [{ id, … }], nextCursor? }', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'search_tasks');
    const schema = tool.outputSchema as JsonSchema | undefined;
    if (!schema) return step.fail('search_tasks has no outputSchema: add `outputSchema: { tasks: …, nextCursor: … }` to its config.');
    step.expect(schema.type, 'the outputSchema describes an object').toBe('object');
    const tasks = schema.properties?.tasks;
    step.expect(tasks?.type, 'outputSchema.tasks is an array').toBe('array');
    step.expect(tasks?.items?.type, 'outputSchema.tasks holds objects').toBe('object');
    step.expect(Object.keys(tasks?.items?.properties ?? {}), 'each task in the outputSchema has an id').toContain('id');
    step.expect(schema.properties?.nextCursor?.type, 'outputSchema.nextCursor is a string').toBe('string');
    step.expect(schema.required ?? [], 'tasks is always there').toContain('tasks');
    step.expect(schema.required ?? [], 'nextCursor is optional: the last page has none').not.toContain('nextCursor');
  });

  test('R2.2, R2.3: every page returns structuredContent that matches the outputSchema, leaves nextCursor out on the last page, and the JSON text carries the same page', async () => {
    const { client } = await connectToBoard(step, {}, seedVariedTasks);
    // Listing the tools first also makes the Client check structuredContent against the outputSchema.
    const tool = await requireTool(step, client, 'search_tasks');
    if (!tool.outputSchema) return step.fail('search_tasks has no outputSchema yet.');
    const validate = new AjvJsonSchemaValidator().getValidator(tool.outputSchema);

    const seen: string[] = [];
    let cursor: unknown;
    for (let n = 0; n < 8; n++) {
      const result = await callTool(step, client, 'search_tasks', cursor === undefined ? { limit: 3 } : { limit: 3, cursor });
      step.expect(result.isError ?? false, `search_tasks failed: ${show(result)}`).toBe(false);
      const structured = result.structuredContent;
      if (structured === undefined) return step.fail(`search_tasks must return structuredContent (the page as an object), got ${show(result)}`);
      const verdict = validate(structured);
      step.expect(verdict.errorMessage, `structuredContent must match the outputSchema: ${show(structured)}`).toBeUndefined();
      if ((structured as Record<string, unknown>).nextCursor === null) {
        return step.fail(`leave nextCursor out on the last page rather than setting it to null: ${show(structured)}`);
      }
      const page = readPage(step, result);
      seen.push(...page.ids);
      step.expect(page.ids.length, 'limit 3: at most three tasks a page').toBeLessThanOrEqual(3);
      const texts = textPages(result);
      step.expect(texts.length, `keep the page as JSON text next to structuredContent, for clients that only read text: ${show(result.content)}`).toBeGreaterThan(0);
      step.expect(texts[0]!.ids, 'the JSON text lists the same tasks as structuredContent').toEqual(page.ids);
      step.expect(texts[0]!.nextCursor, 'the JSON text carries the same nextCursor as structuredContent').toEqual(page.nextCursor);
      if (!page.hasNextCursor) {
        // In memory an `undefined` key is not serialized away, so "absent" means undefined here.
        step.expect((structured as Record<string, unknown>).nextCursor, `on the last page leave nextCursor out of structuredContent: ${show(structured)}`).toBeUndefined();
        step.expect(sorted(seen), 'the structured pages together hold every task').toEqual(ALL_VARIED);
        return;
      }
      cursor = page.nextCursor;
    }
    step.fail('eight tasks with limit 3 should take three pages, but search_tasks kept giving a nextCursor.');
  });
});
