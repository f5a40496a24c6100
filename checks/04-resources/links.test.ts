import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { callTool, requireTool, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { connectToBoard, readJson, taskUri } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

type Link = { type: 'resource_link'; uri: string; name: string; mimeType?: string };

describe(stepTitle(meta, 8), () => {
  const step = lesson.step(8);

  test('find_task answers with a resource_link to each task it finds', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    // "page": WEB-1's description (landing page) and WEB-2's title (pricing page).
    const links = linksOf(step, await callTool(step, client, 'find_task', { text: 'page' }));
    step.expect(links.map((l) => l.uri).sort(), 'find_task "page" links to WEB-1 and WEB-2, by their task URIs').toEqual([taskUri('WEB-1'), taskUri('WEB-2')]);
    for (const link of links) {
      step.expect(link.mimeType, `the link to ${link.uri} says what reading it gives: mimeType "application/json"`).toBe('application/json');
      step.expect(link.name?.trim(), `the link to ${link.uri} needs a name`).toBeTruthy();
    }
  });

  test("a link's URI reads as the task; project narrows the search", async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'find_task');
    const links = linksOf(step, await callTool(step, client, 'find_task', { text: 'the', project: 'API' }));
    step.expect(links.map((l) => l.uri), 'find_task "the" in project API links to API-1 only').toEqual([taskUri('API-1')]);
    const task = await readJson(step, client, links[0]!.uri);
    step.expect(task.id, `reading the link ${links[0]!.uri} gives the task`).toBe('API-1');
  });
});

function linksOf(step: StepContext, result: CallToolResult): Link[] {
  step.expect(result.isError ?? false, `find_task failed: ${show(result)}`).toBe(false);
  return (result.content ?? []).filter((c): c is Link => c.type === 'resource_link');
}
