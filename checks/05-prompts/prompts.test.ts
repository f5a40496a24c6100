import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { GetPromptResult, Prompt, PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, request, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { complete, getPrompt, getPromptError, promptText, requirePrompt, showMessages } from '../harness/prompts.js';
import { ALL_IDS, connectToBoard, IDS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

type Store = Awaited<ReturnType<typeof connectToBoard>>['store'];
type Task = ReturnType<Store['getTask']>;

/** True when `text` names the id as a whole word: WEB-1, but not inside WEB-12 or APIX-1. */
function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text);
}

/** The ids of `ids` that `text` names. */
function named(text: string, ids: readonly string[]): string[] {
  return ids.filter((id) => mentions(text, id));
}

/** The text blocks of some messages (not embedded resources): what the prompt says in words. */
function wordsOf(messages: PromptMessage[]): string {
  return messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
}

/** A status as a person may write it on a line: `in_progress`, `in progress`, `In-progress`. */
function statusPattern(status: string): RegExp {
  return new RegExp(`(?<![A-Za-z])${status.replace('_', '[ _-]?').replace('todo', 'to[ _-]?do')}(?![A-Za-z])`, 'i');
}

function wordPattern(word: string): RegExp {
  return new RegExp(`(?<![A-Za-z])${word}(?![A-Za-z])`, 'i');
}

/**
 * Checks a prompt's listing: a title and a description, each argument of `spec` present with
 * its required flag and a description. Arguments beyond the README's are allowed (a student may
 * add one), as long as they are optional and described: a client that fills in only the README's
 * arguments must still get the prompt.
 */
function expectListed(step: StepContext, prompt: Prompt, spec: Record<string, boolean>) {
  step.expect(prompt.title?.trim(), `${prompt.name} needs a title: clients show it in their prompt menu`).toBeTruthy();
  step.expect(prompt.description?.trim(), `${prompt.name} needs a description: clients show it in their prompt menu`).toBeTruthy();
  const args = prompt.arguments ?? [];
  const names = args.map((a) => a.name);
  for (const [name, required] of Object.entries(spec)) {
    const arg = args.find((a) => a.name === name);
    if (!arg) step.fail(`${prompt.name} should have an argument "${name}" in prompts/list; its arguments are: ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'none'}.`);
    step.expect(arg.required ?? false, `argument "${name}" of ${prompt.name} should be ${required ? 'required' : 'optional (.optional())'}`).toBe(required);
  }
  for (const arg of args) {
    step.expect(arg.description?.trim(), `argument "${arg.name}" of ${prompt.name} needs a description (.describe("…") on the schema, inside completable(…))`).toBeTruthy();
    if (!(arg.name in spec)) {
      step.expect(arg.required ?? false, `${prompt.name} has an extra argument "${arg.name}"; that is fine, but it must be optional, so a client that fills in only ${Object.keys(spec).join(' and ')} still gets the prompt`).toBe(false);
    }
  }
}

/** completion/complete; `context` is the arguments already filled in, or 'no arguments' for a context without any. */
async function completeArgument(step: StepContext, client: Client, prompt: string, argument: string, value: string, context?: Record<string, string> | 'no arguments') {
  return complete(step, client, {
    ref: { type: 'ref/prompt', name: prompt },
    argument: { name: argument, value },
    ...(context === undefined ? {} : { context: context === 'no arguments' ? {} : { arguments: context } }),
  });
}

/** The project-key completions every prompt with a `project` argument must give. */
async function expectProjectCompletion(step: StepContext, client: Client, prompt: string) {
  await requirePrompt(step, client, prompt);
  const keys = (value: string) => completeArgument(step, client, prompt, 'project', value);
  step.expect(
    new Set(await keys('')),
    `${prompt}: an empty value completes to every project key (no suggestions at all? a .describe() or .optional() after completable() drops the completer)`,
  ).toEqual(new Set(['WEB', 'WIKI', 'API', 'APIX']));
  step.expect(new Set(await keys('W')), `${prompt}: "W" completes to the keys that start with W`).toEqual(new Set(['WEB', 'WIKI']));
  step.expect(await keys('WE'), `${prompt}: "WE" completes to WEB only`).toEqual(['WEB']);
  step.expect(new Set(await keys('API')), `${prompt}: "API" completes to API and APIX, the keys that start with it`).toEqual(new Set(['API', 'APIX']));
  step.expect(await keys('PI'), `${prompt}: "PI" completes to nothing: keys that *start* with the value, not that contain it`).toEqual([]);
  step.expect(await keys('X'), `${prompt}: "X" matches no project`).toEqual([]);
}

describe(stepTitle(meta, 1), () => {
  const step: StepContext = lesson.step(1);

  test('R1.1: standup_report and triage_task are listed with a title, a description and described arguments', async () => {
    const { client } = await connectToBoard(step);
    expectListed(step, await requirePrompt(step, client, 'standup_report'), { project: true, assignee: false });
    expectListed(step, await requirePrompt(step, client, 'triage_task'), { project: true, task: true });
  });

  test("R1.2: standup_report lists every task of the project by id, and no task of another project", async () => {
    const { client } = await connectToBoard(step);
    for (const key of ['WEB', 'API'] as const) {
      const result = await getPrompt(step, client, 'standup_report', { project: key });
      step.expect(result.messages.some((m) => m.role === 'user'), `standup_report should return a user message, got ${showMessages(result)}`).toBe(true);
      const text = promptText(result);
      step.expect(named(text, IDS[key]), `standup_report for ${key} should list every task of ${key}, by id`).toEqual([...IDS[key]]);
      const others = ALL_IDS.filter((id) => !(IDS[key] as readonly string[]).includes(id));
      step.expect(named(text, others), `standup_report for ${key} should not list tasks of other projects`).toEqual([]);
    }
  });

  test("R1.3: standup_report with an assignee lists only that person's tasks of the project, and names the person", async () => {
    const { client } = await connectToBoard(step);
    const cases = [
      ['ana', 'WEB', ['WEB-1', 'WEB-4']],
      ['ben', 'WEB', ['WEB-2', 'WEB-5']],
      ['ana', 'API', ['API-1']],
    ] as const;
    for (const [assignee, key, theirs] of cases) {
      const result = await getPrompt(step, client, 'standup_report', { project: key, assignee });
      const text = promptText(result);
      step.expect(text, `standup_report for ${key} with assignee "${assignee}" names the assignee`).toContain(assignee);
      step.expect(named(text, theirs), `standup_report for ${key} with assignee "${assignee}" lists every task of ${assignee} in ${key}`).toEqual([...theirs]);
      // Others' ids only in what the prompt says in words: an embedded resource may carry the whole project.
      const others = ALL_IDS.filter((id) => !(theirs as readonly string[]).includes(id));
      step.expect(named(wordsOf(result.messages), others), `standup_report for ${key} with assignee "${assignee}" lists only ${assignee}'s tasks in ${key}`).toEqual([]);
    }
    // A person with no task in the project: the prompt still names them (refusing with -32602 is fine too).
    let nobody: GetPromptResult | undefined;
    try {
      nobody = await client.getPrompt({ name: 'standup_report', arguments: { project: 'WEB', assignee: 'zoe' } }, { timeout: ANSWER_TIMEOUT_MS });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== -32602) step.fail(`standup_report for WEB with assignee "zoe" (no task in WEB) should name zoe and list no task, or refuse with -32602; it failed with ${String(code)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (nobody) {
      step.expect(promptText(nobody), 'standup_report for WEB with assignee "zoe", who has no task there, still names zoe').toContain('zoe');
      step.expect(named(wordsOf(nobody.messages), ALL_IDS), 'standup_report for WEB with assignee "zoe", who has no task there, lists no task').toEqual([]);
    }
  });

  test('R1.4: standup_report treats an empty assignee ("") as absent: the whole team', async () => {
    const { client } = await connectToBoard(step);
    const team = await getPrompt(step, client, 'standup_report', { project: 'WEB' });
    const empty = await getPrompt(step, client, 'standup_report', { project: 'WEB', assignee: '' });
    step.expect(named(promptText(empty), ALL_IDS), 'standup_report for WEB with assignee "" (a form field left empty) lists every task of WEB').toEqual([...IDS.WEB]);
    step.expect(empty.messages, 'standup_report with assignee "" should give the same messages as without an assignee').toEqual(team.messages);
  });

  test("R1.5: triage_task names the task's id and title", async () => {
    const { client } = await connectToBoard(step);
    for (const [key, id, title] of [['WEB', 'WEB-3', 'Add a dark mode'], ['API', 'API-2', 'Document the pagination cursor']] as const) {
      const text = wordsOf((await getPrompt(step, client, 'triage_task', { project: key, task: id })).messages);
      step.expect(mentions(text, id), `triage_task for ${id} should name the task id in a text message`).toBe(true);
      step.expect(text, `triage_task for ${id} should include the task's title in a text message`).toContain(title);
      const elsewhere = ALL_IDS.filter((other) => !other.startsWith(`${key}-`));
      step.expect(named(text, elsewhere), `triage_task for ${id} should not mention tasks of other projects`).toEqual([]);
    }
  });

  test('R1.6: the prompts read the board when they are requested, not when they were registered', async () => {
    const { client, store } = await connectToBoard(step);
    await requirePrompt(step, client, 'standup_report');
    const added = store.createTask({ project: 'WEB', title: 'Add a sitemap' });
    store.updateTask('WEB-3', { title: 'Add a high-contrast theme' });
    const standup = promptText(await getPrompt(step, client, 'standup_report', { project: 'WEB' }));
    step.expect(mentions(standup, added.id), `standup_report should list ${added.id}, created after the server started: read the store inside the handler`).toBe(true);
    const triage = wordsOf((await getPrompt(step, client, 'triage_task', { project: 'WEB', task: 'WEB-3' })).messages);
    step.expect(triage, 'triage_task for WEB-3 should name its title as it is now ("Add a high-contrast theme") in a text message').toContain('Add a high-contrast theme');
  });
});

describe(stepTitle(meta, 2), () => {
  const step: StepContext = lesson.step(2);

  test('R2.1: project keys complete by prefix, in standup_report and triage_task', async () => {
    const { client } = await connectToBoard(step);
    for (const prompt of ['standup_report', 'triage_task']) await expectProjectCompletion(step, client, prompt);
  });

  test('R2.2: task ids complete within the project already chosen (context.arguments.project)', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'triage_task');
    const tasks = (value: string, project?: string) => completeArgument(step, client, 'triage_task', 'task', value, project === undefined ? undefined : { project });
    step.expect(new Set(await tasks('', 'API')), 'with project API chosen, "" completes to the ids of API only (APIX-1 is another project, though its id starts with "API")').toEqual(new Set(IDS.API));
    step.expect(new Set(await tasks('', 'WEB')), 'with project WEB chosen, "" completes to the ids of WEB').toEqual(new Set(IDS.WEB));
    step.expect(await tasks('WEB-2', 'WEB'), 'with project WEB chosen, "WEB-2" completes to WEB-2 only').toEqual(['WEB-2']);
    step.expect(await tasks('API', 'WEB'), 'with project WEB chosen, "API" completes to nothing (no WEB id starts with it)').toEqual([]);
  });

  test('R2.3: without a project in the context (none, or ""), task ids of every project complete by prefix', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'triage_task');
    const tasks = (value: string, context?: Record<string, string> | 'no arguments') => completeArgument(step, client, 'triage_task', 'task', value, context);
    step.expect(new Set(await tasks('API')), 'with no project chosen, "API" completes to the ids of every project that start with it').toEqual(new Set([...IDS.API, ...IDS.APIX]));
    step.expect(new Set(await tasks('W')), 'with no project chosen, "W" completes to the WEB and WIKI ids').toEqual(new Set([...IDS.WEB, ...IDS.WIKI]));
    step.expect(new Set(await tasks('', {})), 'with a context but no project in it, "" completes to every id').toEqual(new Set(ALL_IDS));
    step.expect(new Set(await tasks('WIKI', 'no arguments')), 'with a context that has no arguments at all ({}), "WIKI" completes to WIKI-1 (context.arguments may be missing)').toEqual(new Set(IDS.WIKI));
    step.expect(new Set(await tasks('API', { project: '' })), 'a project of "" in the context (the field is still empty) counts as no project: "API" completes to API-1, API-2, APIX-1').toEqual(new Set([...IDS.API, ...IDS.APIX]));
  });

  test('R2.4: an unknown project in the context gives no task suggestions, not an error', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'triage_task');
    step.expect(await completeArgument(step, client, 'triage_task', 'task', '', { project: 'NOPE' }), 'an unknown project in the context gives no suggestions').toEqual([]);
    step.expect(await completeArgument(step, client, 'triage_task', 'task', 'WEB', { project: 'NOPE' }), 'an unknown project in the context gives no suggestions, whatever is typed').toEqual([]);
  });
});

/** Index of the last assistant message, or -1. */
function lastAssistant(messages: PromptMessage[]): number {
  return messages.map((m) => m.role).lastIndexOf('assistant');
}

/** triage_task's messages split at the example answer (the last assistant message). */
async function triage(step: StepContext, client: Client, key: string, id: string) {
  const result: GetPromptResult = await getPrompt(step, client, 'triage_task', { project: key, task: id });
  const { messages } = result;
  step.expect(messages[0]?.role, `triage_task: the first message is the example request, from the user; got ${showMessages(result)}`).toBe('user');
  const answer = lastAssistant(messages);
  step.expect(answer, `triage_task: the example needs an assistant message (the model answer) after the example request; got ${showMessages(result)}`).toBeGreaterThan(0);
  const request = messages.slice(answer + 1);
  step.expect(request.length, `triage_task: after the example answer comes the real request (user messages); got ${showMessages(result)}`).toBeGreaterThan(0);
  step.expect(request.map((m) => m.role), `triage_task: every message after the example answer is the real request, from the user; got ${showMessages(result)}`).toEqual(request.map(() => 'user'));
  return { result, messages, answer, request };
}

describe(stepTitle(meta, 3), () => {
  const step: StepContext = lesson.step(3);
  const CASES = [['WEB', 'WEB-1', 'Fix the signup link'], ['API', 'API-2', 'Document the pagination cursor']] as const;

  test('R3.1: triage_task opens with a worked example: a user turn, then the assistant answer, then the real request from the user', async () => {
    const { client } = await connectToBoard(step);
    for (const [key, id] of CASES) {
      const { messages, answer } = await triage(step, client, key, id);
      step.expect(wordsOf(messages.slice(0, answer)).trim(), `triage_task for ${id}: the messages before the example answer should ask, in text, to triage the example task`).not.toBe('');
      step.expect(wordsOf([messages[answer]!]).trim(), `triage_task for ${id}: the assistant message should contain the example answer as text`).not.toBe('');
    }
  });

  test("R3.2: the example answer gives a priority and a status", async () => {
    const { client } = await connectToBoard(step);
    const { TASK_PRIORITIES, TASK_STATUSES } = await step.taskboard();
    const { messages, answer } = await triage(step, client, 'WEB', 'WEB-1');
    const text = wordsOf([messages[answer]!]);
    // A level or the word itself ("Status: unchanged" gives a status too); the wording is the student's.
    step.expect([...TASK_PRIORITIES, 'priority'].some((p) => wordPattern(p).test(text)), `the example answer should give a priority (one of ${TASK_PRIORITIES.join(', ')}); it says: ${text.slice(0, 200)}`).toBe(true);
    step.expect(TASK_STATUSES.some((s) => statusPattern(s).test(text)) || wordPattern('status').test(text), `the example answer should give a status (one of ${TASK_STATUSES.join(', ')}); it says: ${text.slice(0, 200)}`).toBe(true);
  });

  test("R3.3: the real request names the real task's id and title in words", async () => {
    const { client } = await connectToBoard(step);
    for (const [key, id, title] of CASES) {
      const { request } = await triage(step, client, key, id);
      const words = wordsOf(request);
      step.expect(mentions(words, id), `triage_task for ${id}: the text of the real request (the user messages after the example answer) should name ${id}`).toBe(true);
      step.expect(words, `triage_task for ${id}: the text of the real request should include the title of ${id}`).toContain(title);
    }
  });
});

type EmbeddedResource = Extract<PromptMessage['content'], { type: 'resource' }>;

describe(stepTitle(meta, 4), () => {
  const step: StepContext = lesson.step(4);

  /** The embedded task of triage_task for `id`, checked for place, role, uri and mimeType; returns its parsed text. */
  async function embedded(client: Client, key: string, id: string) {
    const result = await getPrompt(step, client, 'triage_task', { project: key, task: id });
    const uri = `taskboard://projects/${key}/tasks/${id}`;
    const found = result.messages.filter((m) => m.content.type === 'resource');
    const index = result.messages.findIndex((m) => m.content.type === 'resource' && m.content.resource.uri === uri);
    if (index < 0) {
      const uris = found.map((m) => (m.content as EmbeddedResource).resource.uri);
      step.fail(
        `triage_task for ${id} should embed the task as a resource with uri "${uri}" ({ type: "resource", resource: { uri, mimeType, text } }); ` +
          (uris.length ? `found resources ${uris.map((u) => `"${u}"`).join(', ')}` : `found no embedded resource in ${showMessages(result)}`),
      );
    }
    const item = result.messages[index]!;
    step.expect(item.role, `the embedded ${id} is part of the request, a user message`).toBe('user');
    step.expect(index, `the embedded ${id} belongs to the real request, after the example answer (the last assistant message); got ${showMessages(result)}`).toBeGreaterThan(lastAssistant(result.messages));
    const resource = (item.content as EmbeddedResource).resource;
    step.expect(resource.mimeType, `the embedded ${id}'s mimeType`).toBe('application/json');
    const text = 'text' in resource && typeof resource.text === 'string' ? resource.text : undefined;
    if (text === undefined) step.fail(`the embedded ${id} should carry its JSON as \`text\` (not a base64 \`blob\`).`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return step.fail(`the embedded ${id}'s text should be JSON (JSON.stringify(task)), got: ${text.slice(0, 200)}`);
    }
  }

  test("R4.1: triage_task embeds the task in the real request: a user message, the task's taskboard:// uri, application/json", async () => {
    const { client } = await connectToBoard(step);
    for (const [key, id] of [['WEB', 'WEB-3'], ['API', 'API-2'], ['APIX', 'APIX-1']] as const) await embedded(client, key, id);
  });

  test('R4.2: the embedded text is the whole task as the store has it when the prompt is requested', async () => {
    const { client, store } = await connectToBoard(step);
    const same = (id: string, why: string) => async (key: string) =>
      step.expect(await embedded(client, key, id), `${why}: the embedded JSON should equal store.getTask("${id}"), every field`).toEqual(store.getTask(id) as Task);
    await same('API-2', 'triage_task for API-2')('API');
    store.addComment('WEB-2', 'ben', 'Waiting for the new copy.');
    store.setStatus('WEB-2', 'blocked');
    await same('WEB-2', 'after a comment and a status change')('WEB');
    store.updateTask('WEB-2', { priority: 'urgent', labels: ['copy'] });
    store.setStatus('WEB-2', 'todo');
    await same('WEB-2', 'after the task changed again (read the store in the handler)')('WEB');
  });
});

describe(stepTitle(meta, 5), () => {
  const step: StepContext = lesson.step(5);

  async function fragments() {
    const roleFragment = await step.fn<() => unknown>('roleFragment', 'src/fragments.ts');
    const contextFragment = await step.fn<(project: unknown, tasks: unknown[]) => unknown>('contextFragment', 'src/fragments.ts');
    const instructionsFragment = await step.fn<(steps: string[]) => unknown>('instructionsFragment', 'src/fragments.ts');
    const asText = (what: string, value: unknown): string => {
      if (typeof value !== 'string') step.fail(`${what} should return a string, got ${typeof value}.`);
      return value;
    };
    return {
      role: async () => asText('roleFragment()', await step.run('roleFragment()', () => roleFragment())),
      context: async (project: unknown, tasks: unknown[]) =>
        asText('contextFragment(project, tasks)', await step.run('contextFragment(project, tasks)', () => contextFragment(project, tasks))),
      instructions: async (steps: string[]) =>
        asText('instructionsFragment(steps)', await step.run('instructionsFragment(steps)', () => instructionsFragment(steps))),
    };
  }

  const STEPS = ['Name the riskiest task.', 'Suggest one owner per task.', 'Say what can wait.'];

  /** The text before step `i` on its line of instructionsFragment(STEPS): "1. ", "(1) ", "Step 1: " … */
  async function numberedPrefixes(f: Awaited<ReturnType<typeof fragments>>): Promise<string[]> {
    const text = await f.instructions(STEPS);
    const lines = text.split(/\r?\n/);
    const found = STEPS.map((s) => lines.findIndex((line) => line.includes(s)));
    STEPS.forEach((s, i) => step.expect(found[i], `instructionsFragment(steps) should put every step on a line: "${s}" is missing in ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(0));
    step.expect(new Set(found).size, `instructionsFragment(steps) should give each step a line of its own, got ${JSON.stringify(text)}`).toBe(STEPS.length);
    return STEPS.map((s, i) => {
      const line = lines[found[i]!]!;
      const prefix = line.slice(0, line.indexOf(s));
      const number = /(\d+)\D*$/.exec(prefix)?.[1];
      step.expect(number === undefined ? undefined : Number(number), `instructionsFragment(steps) should number the steps 1, 2, 3 in order, before each step; line ${i + 1} is ${JSON.stringify(line)}`).toBe(i + 1);
      return prefix;
    });
  }

  test('R5.1: roleFragment() returns the opening text of the prompts', async () => {
    const f = await fragments();
    step.expect((await f.role()).trim().length, 'roleFragment() should say who the model is and how Taskboard works (a sentence or more)').toBeGreaterThan(20);
  });

  test('R5.2: contextFragment(project, tasks) names the project and gives one line per task with its id, status, priority and title', async () => {
    const { store } = await connectToBoard(step);
    const f = await fragments();
    const tasks = store.listTasks({ project: 'WEB' });
    const context = await f.context(store.getProject('WEB'), tasks);
    step.expect(context, 'contextFragment(project, tasks) names the project by its key').toContain('WEB');
    const lines = context.split(/\r?\n/);
    for (const task of tasks) {
      const line = lines.find((l) => mentions(l, task.id));
      if (line === undefined) step.fail(`contextFragment(project, tasks) should list every task it is given, on a line of its own: ${task.id} is missing in ${JSON.stringify(context)}`);
      step.expect(line, `the line of ${task.id} should show its title`).toContain(task.title);
      step.expect(statusPattern(task.status).test(line), `the line of ${task.id} should show its status "${task.status}"; it is ${JSON.stringify(line)}`).toBe(true);
      step.expect(wordPattern(task.priority).test(line), `the line of ${task.id} should show its priority "${task.priority}"; it is ${JSON.stringify(line)}`).toBe(true);
    }
    const some = await f.context(store.getProject('WEB'), tasks.filter((t) => t.assignee === 'ana'));
    step.expect(named(some, ALL_IDS), "contextFragment(project, tasks) lists the tasks it is given, and no others (given WEB-1 and WEB-4)").toEqual(['WEB-1', 'WEB-4']);
    const none = await f.context(store.getProject('WIKI'), []);
    step.expect(none, 'contextFragment(project, []) still names the project').toContain('WIKI');
  });

  test('R5.3: instructionsFragment(steps) puts each step on its own numbered line, 1, 2, 3 in order', async () => {
    await numberedPrefixes(await fragments());
  });

  test('R5.4: plan_sprint is listed with a title, a description, a project (required, completable) and a goal (optional)', async () => {
    const { client } = await connectToBoard(step);
    expectListed(step, await requirePrompt(step, client, 'plan_sprint'), { project: true, goal: false });
    await expectProjectCompletion(step, client, 'plan_sprint');
  });

  test("R5.5: standup_report and plan_sprint contain exactly what roleFragment() and contextFragment(project, tasks) return", async () => {
    const { client, store } = await connectToBoard(step);
    await requirePrompt(step, client, 'plan_sprint');
    store.createTask({ project: 'API', title: 'Add an ETag header' }); // after start: the handlers read the store
    const f = await fragments();
    const role = await f.role();
    step.expect(role.trim(), 'roleFragment() should not be empty').not.toBe('');
    const cases: Array<[string, Record<string, string>, string, Record<string, string>]> = [
      ['standup_report', { project: 'WEB' }, 'WEB', {}],
      ['standup_report', { project: 'API' }, 'API', {}],
      ['standup_report', { project: 'WEB', assignee: 'ben' }, 'WEB', { assignee: 'ben' }],
      ['plan_sprint', { project: 'WEB', goal: 'Ship the next release' }, 'WEB', {}],
      ['plan_sprint', { project: 'API' }, 'API', {}],
    ];
    for (const [name, args, key, filter] of cases) {
      const tasks = store.listTasks({ project: key, ...filter });
      const context = await f.context(store.getProject(key), tasks);
      const result = await getPrompt(step, client, name, args);
      const text = promptText(result);
      step.expect(text, `${name} with ${JSON.stringify(args)} should contain exactly what roleFragment() returns (call it, don't copy its text)`).toContain(role);
      const others = named(wordsOf(result.messages), ALL_IDS).filter((id) => !tasks.some((t) => t.id === id));
      step.expect(others, `${name} with ${JSON.stringify(args)} should name no task beyond the ones it covers`).toEqual([]);
      step.expect(
        text,
        `${name} with ${JSON.stringify(args)} should contain exactly what contextFragment(store.getProject("${key}"), store.listTasks(${JSON.stringify({ project: key, ...filter })})) returns`,
      ).toContain(context);
    }
  });

  test('R5.6: standup_report and plan_sprint list what the answer must contain with instructionsFragment(steps)', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'plan_sprint');
    const f = await fragments();
    // The prompt's own steps are unknown, so look for instructionsFragment's output for 1 to 12
    // steps, each step a wildcard: exactly what it returns, whatever the steps are.
    const shapes: RegExp[] = [];
    for (let count = 1; count <= 12; count++) {
      const marks = Array.from({ length: count }, (_, i) => `QQSTEP${String.fromCharCode(65 + i)}QQ`);
      let pattern = (await f.instructions(marks)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const mark of marks) pattern = pattern.replace(mark, '[\\s\\S]+?');
      shapes.push(new RegExp(pattern));
    }
    for (const [name, args] of [['standup_report', { project: 'WEB' }], ['standup_report', { project: 'API', assignee: 'ana' }], ['plan_sprint', { project: 'WEB' }]] as const) {
      const text = promptText(await getPrompt(step, client, name, args));
      step.expect(
        shapes.some((shape) => shape.test(text)),
        `${name} with ${JSON.stringify(args)} should say what the answer must contain with instructionsFragment([...]): its text does not contain what instructionsFragment returns for any list of steps`,
      ).toBe(true);
    }
  });

  test('R5.7: plan_sprint includes the goal when one is given, and treats "" as no goal', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'plan_sprint');
    for (const goal of ['Launch dark mode', 'Halve the page load time']) {
      step.expect(promptText(await getPrompt(step, client, 'plan_sprint', { project: 'WEB', goal })), `plan_sprint includes the goal it is given ("${goal}")`).toContain(goal);
    }
    const none = await getPrompt(step, client, 'plan_sprint', { project: 'WEB' });
    const empty = await getPrompt(step, client, 'plan_sprint', { project: 'WEB', goal: '' });
    step.expect(empty.messages, 'plan_sprint with goal "" (a form field left empty) should give the same messages as without a goal').toEqual(none.messages);
  });
});

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);
  const INVALID_PARAMS = -32602;

  /** prompts/get must fail with a well-formed InvalidParams error whose message names one of `named`. */
  async function expectInvalid(client: Client, name: string, args: Record<string, string>, named: Array<string | RegExp>) {
    const error = await getPromptError(step, client, name, args);
    const call = `prompts/get "${name}" with ${JSON.stringify(args)}`;
    step.expect(
      error.code,
      `${call} should be rejected with InvalidParams (-32602)` +
        (error.code === -32603 ? '; -32603 (InternalError) means the handler threw an ordinary error: throw new McpError(ErrorCode.InvalidParams, …)' : '') +
        `. The error was: ${error.message}`,
    ).toBe(INVALID_PARAMS);
    if (named.length) {
      const names = (n: string | RegExp) => (typeof n === 'string' ? error.message.includes(n) : n.test(error.message));
      step.expect(named.some(names), `${call}: the error message should name ${named.map((n) => (typeof n === 'string' ? JSON.stringify(n) : 'the argument')).join(' or ')}, so the user knows what to fix; it is: ${error.message}`).toBe(true);
    }
  }

  /** After the errors, the server still answers. */
  async function stillAnswers(client: Client) {
    await request(step, 'prompts/list after the rejected requests (the server should keep answering)', (o) => client.listPrompts({}, o));
  }

  test('R6.1: a missing required argument is rejected with InvalidParams naming it, in every prompt', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'standup_report', {}, ['project']);
    await expectInvalid(client, 'standup_report', { assignee: 'ana' }, ['project']);
    await expectInvalid(client, 'triage_task', { task: 'WEB-1' }, ['project']);
    await expectInvalid(client, 'triage_task', { project: 'WEB' }, [/(?<![A-Za-z_])task(?![A-Za-z_])/]);
    await expectInvalid(client, 'plan_sprint', { goal: 'Ship it' }, ['project']);
    await stillAnswers(client);
  });

  test('R6.2: an unknown project is rejected with InvalidParams naming it, in every prompt', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'standup_report', { project: 'NOPE' }, ['NOPE']);
    await expectInvalid(client, 'standup_report', { project: 'NOPE', assignee: 'ana' }, ['NOPE']);
    await expectInvalid(client, 'triage_task', { project: 'NOPE', task: 'NOPE-1' }, ['NOPE']);
    await expectInvalid(client, 'triage_task', { project: 'NOPE', task: 'WEB-1' }, ['NOPE']);
    await expectInvalid(client, 'plan_sprint', { project: 'NOPE' }, ['NOPE']);
    await stillAnswers(client);
  });

  test('R6.3: an unknown task, or a task of another project, is rejected with InvalidParams naming it', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'triage_task', { project: 'WEB', task: 'WEB-99' }, ['WEB-99']);
    await expectInvalid(client, 'triage_task', { project: 'WEB', task: 'API-1' }, ['API-1']);
    await expectInvalid(client, 'triage_task', { project: 'API', task: 'APIX-1' }, ['APIX-1']);
    await stillAnswers(client);
  });

  test('R6.4: a malformed project key or task id is rejected with InvalidParams', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'standup_report', { project: 'web site' }, []);
    await expectInvalid(client, 'plan_sprint', { project: 'web site' }, []);
    await expectInvalid(client, 'triage_task', { project: 'WEB', task: 'banana' }, []);
    await stillAnswers(client);
  });
});
