import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, callTool, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import {
  BADGE_TEMPLATE,
  badgeUri,
  change,
  completeValues,
  connectToBoard,
  countsOf,
  expectKeyCompletion,
  GUIDE_URI,
  KEYS,
  listResources,
  PROJECT_TEMPLATE,
  projectUri,
  readError,
  readItem,
  readJson,
  readText,
  requireTemplate,
  RESOURCE_NOT_FOUND,
  SUMMARY_TEMPLATE,
  summaryUri,
  TASK_TEMPLATE,
  taskUri,
  WEB_IDS,
} from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

describe(stepTitle(meta, 1), () => {
  const step = lesson.step(1);

  test('R1.1: taskboard://guide is listed with a name, a title, a description and mimeType text/markdown', async () => {
    const { client } = await connectToBoard(step);
    const resources = await listResources(step, client);
    const guide = resources.find((r) => r.uri === GUIDE_URI);
    if (!guide) return step.fail(`resources/list should include ${GUIDE_URI}; it lists ${resources.map((r) => r.uri).join(', ') || 'nothing'}.`);
    step.expect(guide.name?.trim(), 'the guide needs a name (the first argument of registerResource)').toBeTruthy();
    step.expect(guide.mimeType, 'the guide is Markdown: metadata mimeType "text/markdown"').toBe('text/markdown');
    step.expect(guide.title?.trim(), 'the guide needs a title in its metadata (what a client shows)').toBeTruthy();
    step.expect(guide.description?.trim(), 'the guide needs a description in its metadata (how a model decides to read it)').toBeTruthy();
  });

  test('R1.2: reading taskboard://guide answers the Markdown of GUIDE_MARKDOWN', async () => {
    const { client } = await connectToBoard(step);
    const text = await readText(step, client, GUIDE_URI, 'text/markdown');
    const guide = (await step.load('src/resources.ts')).GUIDE_MARKDOWN;
    if (typeof guide === 'string' && guide.trim()) {
      step.expect(text, 'the guide reads as the text of GUIDE_MARKDOWN').toContain(guide.trim());
    } else {
      step.expect(text.trim().length, 'the guide has text (GUIDE_MARKDOWN)').toBeGreaterThan(50);
    }
  });
});

describe(stepTitle(meta, 2), () => {
  const step = lesson.step(2);

  test('R2.1: the project and task templates are listed with their exact URI templates, a name and mimeType application/json', async () => {
    const { client } = await connectToBoard(step);
    await requireTemplate(step, client, PROJECT_TEMPLATE, 'application/json');
    await requireTemplate(step, client, TASK_TEMPLATE, 'application/json');
  });

  test('R2.2: every project reads as JSON with its key, name and description from the store', async () => {
    const { client, store } = await connectToBoard(step);
    for (const key of KEYS) {
      const project = await readJson(step, client, projectUri(key));
      const { name, description } = store.getProject(key);
      // An empty description may be left out; one the store has must be there.
      const expected = description ? { key, name, description } : { key, name };
      step.expect(project, `${projectUri(key)} reads as project ${key} from the store (store.getProject("${key}"))`).toMatchObject(expected);
    }
  });

  test('R2.3: a task reads as JSON with every field of store.getTask(id), as the task is now', async () => {
    const { client, store } = await connectToBoard(step);
    for (const id of ['WEB-1', 'WEB-4', 'API-1']) {
      const task = await readJson(step, client, taskUri(id));
      step.expect(task, `${taskUri(id)} reads as JSON.stringify(store.getTask("${id}")), every field`).toMatchObject({ ...store.getTask(id) });
    }
    await change(step, 'store.updateTask("WEB-3", { title: "Add a dark theme" })', () => store.updateTask('WEB-3', { title: 'Add a dark theme' }));
    const task = await readJson(step, client, taskUri('WEB-3'));
    step.expect(task, `after WEB-3 was renamed, ${taskUri('WEB-3')} reads as the task as it is now (read the store on every read)`).toMatchObject({
      ...store.getTask('WEB-3'),
    });
  });
});

describe(stepTitle(meta, 3), () => {
  const step = lesson.step(3);

  test('R3.1: resources/list includes every project and every task, with a name, a title and mimeType, as the store is now', async () => {
    const { client, store } = await connectToBoard(step);
    const expectListed = async (when: string) => {
      const listed = await listResources(step, client);
      const byUri = new Map(listed.map((r) => [r.uri, r]));
      // Each URI with what its title must hold: the project's name, the task's title.
      const titles = new Map([...store.listProjects().map((p) => [projectUri(p.key), p.name] as const), ...store.listTasks().map((t) => [taskUri(t.id), t.title] as const)]);
      const wanted = [...titles.keys()];
      const missing = wanted.filter((uri) => !byUri.has(uri));
      step.expect(missing, `${when}, every project URI and every task URI of every project is in resources/list (the list callbacks of the project and task templates); missing`).toEqual([]);
      for (const uri of wanted) {
        const entry = byUri.get(uri)!;
        step.expect(entry.name?.trim(), `the resources/list entry of ${uri} needs a name`).toBeTruthy();
        step.expect(entry.title ?? '', `the resources/list entry of ${uri} needs a title ({ uri, name, title }) that holds "${titles.get(uri)}"`).toContain(titles.get(uri));
        step.expect(entry.mimeType, `the resources/list entry of ${uri} reads as JSON: mimeType "application/json" (set it in the template's metadata)`).toBe(
          'application/json',
        );
      }
    };
    await expectListed('on a fresh board');
    await change(step, 'store.createProject({ key: "DOCS", … })', () => store.createProject({ key: 'DOCS', name: 'Documentation' }));
    await change(step, 'store.createTask({ project: "DOCS", … })', () => store.createTask({ project: 'DOCS', title: 'Write the manual' }));
    await expectListed('after project DOCS and task DOCS-1 were created (list the store as it is when resources/list is asked)');
  });

  test('R3.2: completing {key} of the project and task templates offers the project keys that start with the value', async () => {
    const { client } = await connectToBoard(step);
    await expectKeyCompletion(step, client, PROJECT_TEMPLATE);
    await expectKeyCompletion(step, client, TASK_TEMPLATE);
  });

  test('R3.3: completing {id} offers the ids of the project in context.arguments.key that start with the value', async () => {
    const { client } = await connectToBoard(step);
    const cases: [string, string, string[]][] = [
      ['WEB', '', WEB_IDS],
      ['API', '', ['API-1', 'API-2']],
      ['WEB', 'WEB-', WEB_IDS],
      ['WEB', 'WEB-1', ['WEB-1']],
      ['API', 'WEB', []],
    ];
    for (const [key, value, expected] of cases) {
      const values = await completeValues(step, client, TASK_TEMPLATE, 'id', value, { key });
      step.expect(
        [...new Set(values)].sort(),
        `completing {id} of ${TASK_TEMPLATE} from "${value}" with context.arguments.key "${key}" should offer exactly the ids of ${key}'s tasks that start with "${value}"`,
      ).toEqual([...expected].sort());
    }
  });

  test('R3.3: completing {id} before a key is chosen, or for an unknown project, offers no foreign ids and does not fail', async () => {
    const { client } = await connectToBoard(step);
    // Which ids to offer without a key is up to you; it must answer (context is optional in the spec).
    await completeValues(step, client, TASK_TEMPLATE, 'id', '');
    await request(step, `completion/complete of {id} in ${TASK_TEMPLATE} with context {} (no arguments)`, (o) =>
      client.complete({ ref: { type: 'ref/resource', uri: TASK_TEMPLATE }, argument: { name: 'id', value: '' }, context: {} } as never, o),
    );
    // Project NOPE has no tasks: an empty answer or an error, never ids of other projects or made-up ones.
    const nope = await client
      .complete({ ref: { type: 'ref/resource', uri: TASK_TEMPLATE }, argument: { name: 'id', value: '' }, context: { arguments: { key: 'NOPE' } } }, { timeout: ANSWER_TIMEOUT_MS })
      .then((r) => r.completion.values, () => []);
    step.expect(nope, 'completing {id} with context.arguments.key "NOPE" (no such project) should offer no ids').toEqual([]);
  });
});

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('R4.1: the summary template is listed (text/markdown), completes {key}, and lists every project or none', async () => {
    const { client } = await connectToBoard(step);
    await requireTemplate(step, client, SUMMARY_TEMPLATE, 'text/markdown');
    await expectKeyCompletion(step, client, SUMMARY_TEMPLATE);
    await expectEveryProjectOrNone(step, client, summaryUri, 'summary');
  });

  test('R4.2: the summary counts each project\'s tasks by status, and a change made through a tool shows on the next read', async () => {
    const { client } = await connectToBoard(step);
    const expected: Record<string, Record<string, number>> = {
      WEB: { todo: 2, in_progress: 1, blocked: 1, done: 1 },
      WIKI: { todo: 0, in_progress: 0, blocked: 0, done: 0 },
      API: { todo: 1, in_progress: 0, blocked: 0, done: 1 },
    };
    for (const key of KEYS) {
      const text = await readText(step, client, summaryUri(key), 'text/markdown');
      step.expect(countsOf(text), `${summaryUri(key)} has one line per status, like "- todo: 2", counting ${key}'s tasks only, zero counts included`).toEqual(
        expected[key],
      );
    }
    const result = await callTool(step, client, 'complete_task', { id: 'WEB-1' });
    step.expect(result.isError ?? false, `complete_task WEB-1 failed: ${show(result)}`).toBe(false);
    const after = await readText(step, client, summaryUri('WEB'), 'text/markdown');
    step.expect(countsOf(after), `after complete_task WEB-1, reading ${summaryUri('WEB')} again shows the new counts (compute them on every read)`).toEqual({
      todo: 1,
      in_progress: 1,
      blocked: 1,
      done: 2,
    });
  });

  test('R4.3: the badge template is listed (image/png), completes {key}, and lists every project or none', async () => {
    const { client } = await connectToBoard(step);
    await requireTemplate(step, client, BADGE_TEMPLATE, 'image/png');
    await expectKeyCompletion(step, client, BADGE_TEMPLATE);
    await expectEveryProjectOrNone(step, client, badgeUri, 'badge');
  });

  test('R4.4: a badge is a PNG sent as a base64 blob: progressBadgePng(done, total) of that project, on every read', async () => {
    const { client, store } = await connectToBoard(step);
    const progressBadgePng = await step.fn<(done: number, total: number) => Uint8Array>('progressBadgePng', 'src/badge.ts');
    const expectBadge = async (key: string, done: number, total: number, when: string) => {
      const uri = badgeUri(key);
      const item = await readItem(step, client, uri, 'image/png');
      if (typeof item.blob !== 'string') {
        return step.fail(`binary content goes in a "blob" field (base64 text), not "text": reading ${uri} answered ${show(item)}`);
      }
      const bytes = Buffer.from(item.blob, 'base64');
      step.expect(bytes.toString('base64'), `the blob of ${uri} is standard base64 (Buffer.toString("base64")) of the PNG bytes`).toBe(item.blob);
      step.expect([...bytes.subarray(0, 8)], `the decoded blob of ${uri} starts with the 8-byte PNG signature`).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const expected = Buffer.from(progressBadgePng(done, total));
      step.expect(bytes.equals(expected), `${when}, ${key} has ${done} of ${total} tasks done: the blob of ${uri} decodes to exactly progressBadgePng(${done}, ${total})`).toBe(
        true,
      );
    };
    await expectBadge('WEB', 1, 5, 'on the fresh board');
    await expectBadge('API', 1, 2, 'on the fresh board');
    await change(step, 'store.completeTask("WEB-1")', () => store.completeTask('WEB-1'));
    await expectBadge('WEB', 2, 5, 'after WEB-1 was completed (compute the badge on every read)');
  });
});

describe(stepTitle(meta, 5), () => {
  const step = lesson.step(5);

  test('R5.1: every template answers -32002 with data.uri for what does not exist: project, task, task under another project, malformed id, summary, badge', async () => {
    const { client } = await connectToBoard(step);
    const missing = [
      projectUri('NOPE'),
      taskUri('WEB-99'),
      'taskboard://projects/API/tasks/WEB-1',
      'taskboard://projects/NOPE/tasks/WEB-1',
      'taskboard://projects/WEB/tasks/banana',
      summaryUri('NOPE'),
      badgeUri('NOPE'),
    ];
    for (const uri of missing) {
      const error = await readError(step, client, uri);
      step.expect(error.code, `reading ${uri} should fail with code -32002 "Resource not found" (throw resourceNotFound(uri)); got ${show(error)}`).toBe(
        RESOURCE_NOT_FOUND,
      );
      step.expect(typeof error.message, `the -32002 error for ${uri} has a message`).toBe('string');
      step.expect(error.data, `the -32002 error for ${uri} carries the URI in data: { uri: "${uri}" }; got ${show(error)}`).toMatchObject({ uri });
    }
  });

  test('R5.2: a URI that no resource matches is a JSON-RPC error, and the server keeps answering', async () => {
    const { client } = await connectToBoard(step);
    const error = await readError(step, client, 'taskboard://nope');
    step.expect(
      [RESOURCE_NOT_FOUND, -32602],
      `reading taskboard://nope should fail with "resource not found" (-32002, or the SDK's own -32602 for a URI no template matches); got ${show(error)}`,
    ).toContain(error.code);
    const task = await readJson(step, client, taskUri('WEB-1'));
    step.expect(task.id, 'after the failed read the server still answers resources/read').toBe('WEB-1');
  });
});

/** A template's list callback may be undefined; if it lists anything, it lists every project's URI and nothing else of its kind. */
async function expectEveryProjectOrNone(step: StepContext, client: Client, uriOf: (key: string) => string, kind: string) {
  const entries = (await listResources(step, client)).filter((r) => KEYS.some((key) => r.uri === uriOf(key)));
  const ofKind = entries.map((r) => r.uri);
  if (ofKind.length === 0) return;
  for (const entry of entries) step.expect(entry.name?.trim(), `the resources/list entry of ${entry.uri} needs a name`).toBeTruthy();
  step.expect([...new Set(ofKind)].sort(), `resources/list holds some project ${kind}s, so it should hold every project's ${kind} (the template's list callback)`).toEqual(
    KEYS.map(uriOf).sort(),
  );
}
