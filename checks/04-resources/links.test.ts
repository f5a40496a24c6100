import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, test } from 'vitest';
import { callTool, requireTool, show, stepTitle, textOf, useLesson, type StepContext } from '../harness/index.js';
import { connectToBoard, readJson, taskUri } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

type Link = { type: 'resource_link'; uri: string; name: string; title?: string; mimeType?: string };

describe(stepTitle(meta, 8), () => {
  const step = lesson.step(8);

  test('R8.1: find_task is listed with a description, text required and project optional; an empty text is refused', async () => {
    const { client } = await connectToBoard(step);
    const tool = await requireTool(step, client, 'find_task');
    step.expect(tool.description?.trim(), 'find_task needs a description (how a model decides to call it)').toBeTruthy();
    const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
    step.expect(Object.keys(properties), 'find_task has the inputs text and project').toEqual(expect.arrayContaining(['text', 'project']));
    step.expect(tool.inputSchema.required ?? [], 'text is a required input of find_task').toContain('text');
    step.expect(tool.inputSchema.required ?? [], 'project is an optional input of find_task (.optional())').not.toContain('project');
    const empty = await callTool(step, client, 'find_task', { text: '' });
    step.expect(empty.isError, `find_task with text "" should be refused (z.string().min(1)), but it answered ${show(empty)}`).toBe(true);
  });

  test('R8.2: find_task answers a text item and a resource_link to each task whose title or description matches, and no other', async () => {
    const { client, store } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    // "page": WEB-1's description ("landing page") and WEB-2's title ("pricing page"), no other task.
    const result = await callTool(step, client, 'find_task', { text: 'page' });
    const links = linksOf(step, result, 'find_task "page"');
    step.expect(textOf(result).trim(), `find_task answers a short text item next to the links; got ${show(result)}`).toBeTruthy();
    step.expect(links.map((l) => l.uri).sort(), 'find_task "page" links to WEB-1 (in its description) and WEB-2 (in its title), by their task URIs, and to nothing else').toEqual([
      taskUri('WEB-1'),
      taskUri('WEB-2'),
    ]);
    for (const link of links) {
      const id = link.uri.slice(link.uri.lastIndexOf('/') + 1);
      step.expect(link.name?.trim(), `the link to ${link.uri} needs a name (the task id)`).toBeTruthy();
      step.expect(link.title ?? '', `the link to ${link.uri} carries the task's title`).toContain(store.getTask(id).title);
      step.expect(link.mimeType, `the link to ${link.uri} says what reading it gives: mimeType "application/json"`).toBe('application/json');
    }
    const task = await readJson(step, client, links[0]!.uri);
    step.expect(task.id, `reading the link ${links[0]!.uri} gives the task`).toBe(links[0]!.uri.slice(links[0]!.uri.lastIndexOf('/') + 1));
  });

  test('R8.3: project narrows the search to that project', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    // "the" is in the titles of WEB-1, WEB-2 and API-1: a search that ignores project finds all three.
    const api = linksOf(step, await callTool(step, client, 'find_task', { text: 'the', project: 'API' }), 'find_task "the" in API');
    step.expect(api.map((l) => l.uri), 'find_task "the" in project API links to API-1 only').toEqual([taskUri('API-1')]);
    const web = linksOf(step, await callTool(step, client, 'find_task', { text: 'the', project: 'WEB' }), 'find_task "the" in WEB');
    step.expect(web.map((l) => l.uri).sort(), 'find_task "the" in project WEB links to WEB-1 and WEB-2 only').toEqual([taskUri('WEB-1'), taskUri('WEB-2')]);
  });

  test('R8.4: a search that finds nothing answers a text that says so, no links, and no error', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    const result = await callTool(step, client, 'find_task', { text: 'zebra' });
    const links = linksOf(step, result, 'find_task "zebra"');
    step.expect(links, 'find_task "zebra" finds nothing: no links').toEqual([]);
    step.expect(textOf(result).trim(), `when nothing matches, the text item says so instead of being empty; got ${show(result)}`).toBeTruthy();
  });

  test('R8.5: an unknown project is a tool error that names the project', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    const result = await callTool(step, client, 'find_task', { text: 'page', project: 'NOPE' });
    step.expect(result.isError, `find_task in project NOPE should answer isError: true, got ${show(result)}`).toBe(true);
    step.expect(textOf(result), 'the error names the unknown project (the store\'s message)').toContain('NOPE');
  });
});

function linksOf(step: StepContext, result: CallToolResult, what: string): Link[] {
  step.expect(result.isError ?? false, `${what} failed: ${show(result)}`).toBe(false);
  return (result.content ?? []).filter((c): c is Link => c.type === 'resource_link');
}
