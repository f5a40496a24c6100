import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, test } from 'vitest';
import { callTool, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import {
  badgeUri,
  connectToBoard,
  countOf,
  GUIDE_URI,
  listResources,
  listTemplateUris,
  PROJECT_TEMPLATE,
  projectUri,
  readError,
  readJson,
  readOne,
  readText,
  RESOURCE_NOT_FOUND,
  summaryUri,
  TASK_TEMPLATE,
  taskUri,
} from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('taskboard://guide is listed with a title, a description and mimeType text/markdown', async () => {
    const { client } = await connectToBoard(step);
    const resources = await listResources(step, client);
    const guide = resources.find((r) => r.uri === GUIDE_URI);
    if (!guide) return step.fail(`resources/list should include ${GUIDE_URI}; it lists ${resources.map((r) => r.uri).join(', ') || 'nothing'}.`);
    step.expect(guide.mimeType, 'the guide is Markdown: metadata mimeType "text/markdown"').toBe('text/markdown');
    step.expect(guide.title?.trim(), 'the guide needs a title in its metadata (what a client shows)').toBeTruthy();
    step.expect(guide.description?.trim(), 'the guide needs a description in its metadata (how a model decides to read it)').toBeTruthy();
  });

  test('reading taskboard://guide answers the Markdown guide', async () => {
    const { client } = await connectToBoard(step);
    const { text, mimeType } = await readText(step, client, GUIDE_URI);
    step.expect(mimeType, 'the content item says what it is: mimeType "text/markdown"').toBe('text/markdown');
    step.expect(text.trim().length, 'the guide has text (GUIDE_MARKDOWN)').toBeGreaterThan(50);
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('the project and task templates are listed with their exact URI templates', async () => {
    const { client } = await connectToBoard(step);
    const templates = await listTemplateUris(step, client);
    step.expect(templates, 'resources/templates/list should include both templates').toEqual(expect.arrayContaining([PROJECT_TEMPLATE, TASK_TEMPLATE]));
  });

  test('a project reads as JSON that matches the store', async () => {
    const { client, store } = await connectToBoard(step);
    for (const key of ['WEB', 'WIKI']) {
      const project = await readJson(step, client, projectUri(key));
      const { key: k, name, description } = store.getProject(key);
      step.expect(project, `${projectUri(key)} reads as the project from the store`).toMatchObject({ key: k, name, description });
    }
  });

  test('a task reads as JSON: the task from the store, every field', async () => {
    const { client, store } = await connectToBoard(step);
    for (const id of ['WEB-1', 'WEB-2', 'API-1']) {
      const task = await readJson(step, client, taskUri(id));
      step.expect(task, `${taskUri(id)} reads as JSON.stringify(store.getTask("${id}"))`).toMatchObject({ ...store.getTask(id) });
    }
  });
});

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('resources/list includes every project and every task', async () => {
    const { client, store } = await connectToBoard(step);
    const listed = (await listResources(step, client)).map((r) => r.uri);
    const projects = store.listProjects().map((p) => projectUri(p.key));
    const tasks = store.listTasks().map((t) => taskUri(t.id));
    step.expect(listed, "every project's URI is in resources/list (the project template's list callback)").toEqual(expect.arrayContaining(projects));
    step.expect(listed, "every task's URI, of every project, is in resources/list (the task template's list callback)").toEqual(expect.arrayContaining(tasks));
  });

  test('completing {key} answers the project keys that start with what was typed', async () => {
    const { client } = await connectToBoard(step);
    const w = await complete(step, client, PROJECT_TEMPLATE, 'key', 'W');
    step.expect(new Set(w), `completing {key} of ${PROJECT_TEMPLATE} from "W"`).toEqual(new Set(['WEB', 'WIKI']));
    const all = await complete(step, client, PROJECT_TEMPLATE, 'key', '');
    step.expect(new Set(all), `completing {key} from "" offers every project`).toEqual(new Set(['WEB', 'WIKI', 'API']));
  });

  test('completing {id} answers the ids of the project chosen for {key} (context.arguments)', async () => {
    const { client } = await connectToBoard(step);
    const api = await complete(step, client, TASK_TEMPLATE, 'id', '', { key: 'API' });
    step.expect(new Set(api), `completing {id} of ${TASK_TEMPLATE} with key "API" offers the ids of API's tasks only`).toEqual(new Set(['API-1']));
    const web = await complete(step, client, TASK_TEMPLATE, 'id', 'WEB-1', { key: 'WEB' });
    step.expect(web, 'completing {id} from "WEB-1" with key "WEB" offers WEB-1').toContain('WEB-1');
    step.expect(web, 'completing {id} from "WEB-1" leaves out ids that do not start with it').not.toContain('WEB-2');
  });
});

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('the summary counts tasks by status, and a change made through a tool shows on the next read', async () => {
    const { client } = await connectToBoard(step);
    const uri = summaryUri('WEB');
    const before = await readText(step, client, uri);
    step.expect(before.mimeType, `${uri} is Markdown: mimeType "text/markdown"`).toBe('text/markdown');
    step.expect(counts(before.text), `${uri} has one line per status, like "- todo: 2", for WEB's tasks`).toEqual({ todo: 2, in_progress: 1, blocked: 0, done: 0 });

    const result = await callTool(step, client, 'complete_task', { id: 'WEB-1' });
    step.expect(result.isError ?? false, `complete_task WEB-1 failed: ${show(result)}`).toBe(false);
    const after = await readText(step, client, uri);
    step.expect(counts(after.text), `after complete_task WEB-1, reading ${uri} again shows the new counts (compute them on every read)`).toEqual({
      todo: 1,
      in_progress: 1,
      blocked: 0,
      done: 1,
    });
  });

  test('the badge is a PNG sent as a base64 blob: the bytes of progressBadgePng(done, total)', async () => {
    const { client, store } = await connectToBoard(step);
    store.completeTask('WEB-1');
    const progressBadgePng = await step.fn<(done: number, total: number) => Uint8Array>('progressBadgePng', 'src/badge.ts');
    const uri = badgeUri('WEB');
    const item = await readOne(step, client, uri);
    step.expect(item.mimeType, `${uri} is an image: mimeType "image/png"`).toBe('image/png');
    if (typeof item.blob !== 'string') {
      return step.fail(`binary content goes in a "blob" field (base64 text), not "text": got ${show(item)}`);
    }
    const bytes = Buffer.from(item.blob, 'base64');
    step.expect(bytes.toString('base64'), 'the blob is standard base64 (Buffer.toString("base64")) of the PNG bytes').toBe(item.blob);
    step.expect([...bytes.subarray(0, 8)], 'the decoded blob starts with the 8-byte PNG signature').toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const expected = Buffer.from(progressBadgePng(1, 3));
    step.expect(bytes.equals(expected), 'WEB has 1 of 3 tasks done: the blob decodes to exactly progressBadgePng(1, 3)').toBe(true);
  });
});

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('an unknown project or task, a task under the wrong project and a malformed id answer -32002', async () => {
    const { client } = await connectToBoard(step);
    const missing = [
      projectUri('NOPE'),
      taskUri('WEB-99'),
      'taskboard://projects/API/tasks/WEB-1',
      'taskboard://projects/WEB/tasks/banana',
      summaryUri('NOPE'),
    ];
    for (const uri of missing) {
      const error = await readError(step, client, uri);
      step.expect(error.code, `reading ${uri} should fail with code -32002 "Resource not found" (throw resourceNotFound(uri)); got ${error.message}`).toBe(
        RESOURCE_NOT_FOUND,
      );
    }
  });

  test('a URI that no resource matches is a JSON-RPC error, and the server keeps answering', async () => {
    const { client } = await connectToBoard(step);
    const error = await readError(step, client, 'taskboard://nope');
    step.expect(
      [RESOURCE_NOT_FOUND, -32602],
      `reading taskboard://nope should fail with "resource not found" (-32002, or the SDK's own -32602 for a URI no template matches); got ${error.message}`,
    ).toContain(error.code);
    const { text } = await readText(step, client, taskUri('WEB-1'));
    step.expect(text, 'after the failed reads the server still answers resources/read').toContain('WEB-1');
  });
});

async function complete(step: StepContext, client: Client, template: string, name: string, value: string, args?: Record<string, string>) {
  if (!client.getServerCapabilities()?.completions) {
    step.fail(
      'the server declares no completions capability: McpServer declares it once a ResourceTemplate has a `complete` callback ({ complete: { key: … } }).',
    );
  }
  const { completion } = await request(step, `completion/complete of {${name}} in ${template}`, (o) =>
    client.complete({ ref: { type: 'ref/resource', uri: template }, argument: { name, value }, ...(args ? { context: { arguments: args } } : {}) }, o),
  );
  return completion.values;
}

function counts(markdown: string) {
  return Object.fromEntries(['todo', 'in_progress', 'blocked', 'done'].map((s) => [s, countOf(markdown, s)]));
}
