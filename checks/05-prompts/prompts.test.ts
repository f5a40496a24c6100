import type { GetPromptResult, Prompt, PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { complete, getPrompt, getPromptError, promptText, requirePrompt, showMessages } from '../harness/prompts.js';
import { connectToBoard } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** True when `text` names the id as a whole word: WEB-1, but not inside WEB-12. */
function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text);
}

function argumentsOf(step: StepContext, prompt: Prompt, names: string[]) {
  const args = prompt.arguments ?? [];
  step.expect(args.map((a) => a.name).sort(), `the arguments of ${prompt.name} in prompts/list`).toEqual([...names].sort());
  return Object.fromEntries(args.map((a) => [a.name, a]));
}

function expectArguments(step: StepContext, prompt: Prompt, spec: Record<string, boolean>) {
  const args = argumentsOf(step, prompt, Object.keys(spec));
  for (const [name, required] of Object.entries(spec)) {
    step.expect(args[name]?.required ?? false, `argument "${name}" of ${prompt.name} should be ${required ? 'required' : 'optional (.optional())'}`).toBe(required);
    step.expect(args[name]?.description?.trim(), `argument "${name}" of ${prompt.name} needs a description (.describe("…"))`).toBeTruthy();
  }
  step.expect(prompt.description?.trim(), `${prompt.name} needs a description: clients show it in their prompt menu`).toBeTruthy();
}

describe(stepTitle(meta, 1), () => {
  const step: StepContext = lesson.step(1);

  test('standup_report and triage_task are listed with described arguments, required and optional', async () => {
    const { client } = await connectToBoard(step);
    expectArguments(step, await requirePrompt(step, client, 'standup_report'), { project: true, assignee: false });
    expectArguments(step, await requirePrompt(step, client, 'triage_task'), { project: true, task: true });
  });

  test("standup_report shows the project's tasks, only the assignee's when one is given", async () => {
    const { client } = await connectToBoard(step);
    const all = await getPrompt(step, client, 'standup_report', { project: 'WEB' });
    step.expect(all.messages.some((m) => m.role === 'user'), `standup_report should return a user message, got ${showMessages(all)}`).toBe(true);
    const text = promptText(all);
    for (const id of ['WEB-1', 'WEB-2', 'WEB-3']) {
      step.expect(mentions(text, id), `standup_report for WEB should list task ${id}`).toBe(true);
    }
    for (const id of ['API-1', 'WIKI-1']) {
      step.expect(mentions(text, id), `standup_report for WEB should not list ${id}, a task of another project`).toBe(false);
    }

    const ana = promptText(await getPrompt(step, client, 'standup_report', { project: 'WEB', assignee: 'ana' }));
    step.expect(ana, 'with assignee "ana", the prompt names the assignee').toContain('ana');
    step.expect(mentions(ana, 'WEB-1'), 'with assignee "ana", her task WEB-1 is listed').toBe(true);
    step.expect(mentions(ana, 'WEB-2'), "with assignee \"ana\", ben's task WEB-2 is left out").toBe(false);
    step.expect(mentions(ana, 'WEB-3'), 'with assignee "ana", the unassigned WEB-3 is left out').toBe(false);
  });

  test('triage_task is about the task it is given', async () => {
    const { client } = await connectToBoard(step);
    for (const [id, title] of [['WEB-3', 'Add a dark mode'], ['WEB-1', 'Fix the signup link']] as const) {
      const text = promptText(await getPrompt(step, client, 'triage_task', { project: 'WEB', task: id }));
      step.expect(mentions(text, id), `triage_task for ${id} should name the task id`).toBe(true);
      step.expect(text, `triage_task for ${id} should include the task's title`).toContain(title);
    }
  });
});

describe(stepTitle(meta, 2), () => {
  const step: StepContext = lesson.step(2);
  const keys = (prompt: string, value: string) =>
    (client: Parameters<typeof complete>[1]) => complete(step, client, { ref: { type: 'ref/prompt', name: prompt }, argument: { name: 'project', value } });

  test('project keys complete by prefix, in standup_report and triage_task', async () => {
    const { client } = await connectToBoard(step);
    for (const prompt of ['standup_report', 'triage_task']) {
      await requirePrompt(step, client, prompt);
      step.expect(new Set(await keys(prompt, '')(client)), `${prompt}: an empty value completes to every project key (no suggestions at all? a .describe() or .optional() after completable() drops the completer)`).toEqual(new Set(['WEB', 'WIKI', 'API']));
      step.expect(new Set(await keys(prompt, 'W')(client)), `${prompt}: "W" completes to the keys that start with W`).toEqual(new Set(['WEB', 'WIKI']));
      step.expect(await keys(prompt, 'WE')(client), `${prompt}: "WE" completes to WEB only`).toEqual(['WEB']);
      step.expect(await keys(prompt, 'X')(client), `${prompt}: "X" matches no project`).toEqual([]);
    }
  });

  test('task ids complete within the project already chosen (context.arguments.project)', async () => {
    const { client } = await connectToBoard(step);
    await requirePrompt(step, client, 'triage_task');
    const tasks = (value: string, project?: string) =>
      complete(step, client, {
        ref: { type: 'ref/prompt', name: 'triage_task' },
        argument: { name: 'task', value },
        ...(project === undefined ? {} : { context: { arguments: { project } } }),
      });
    step.expect(new Set(await tasks('', 'API')), 'with project API chosen, "" completes to the ids of API').toEqual(new Set(['API-1', 'API-2']));
    step.expect(new Set(await tasks('', 'WEB')), 'with project WEB chosen, "" completes to the ids of WEB').toEqual(new Set(['WEB-1', 'WEB-2', 'WEB-3']));
    step.expect(await tasks('WEB-2', 'WEB'), 'with project WEB chosen, "WEB-2" completes to WEB-2 only').toEqual(['WEB-2']);
    step.expect(new Set(await tasks('API')), 'with no project chosen, "API" completes to the API ids (of every project, by prefix)').toEqual(new Set(['API-1', 'API-2']));
    step.expect(await tasks('', 'NOPE'), 'an unknown project in the context gives no suggestions (not an error)').toEqual([]);
  });
});

/** Index of the last assistant message, or -1. */
function lastAssistant(messages: PromptMessage[]): number {
  return messages.map((m) => m.role).lastIndexOf('assistant');
}

describe(stepTitle(meta, 3), () => {
  const step: StepContext = lesson.step(3);

  test('triage_task opens with a worked example: a user turn, the assistant answer, then the real request', async () => {
    const { client } = await connectToBoard(step);
    for (const [id, title] of [['WEB-1', 'Fix the signup link'], ['API-2', 'Document the pagination cursor']] as const) {
      const result: GetPromptResult = await getPrompt(step, client, 'triage_task', { project: id.split('-')[0]!, task: id });
      const { messages } = result;
      step.expect(messages[0]?.role, `the first message is the example request, from the user; got ${showMessages(result)}`).toBe('user');
      const answer = lastAssistant(messages);
      step.expect(answer, `the example needs an assistant message (the model answer); got ${showMessages(result)}`).toBeGreaterThan(0);
      step.expect(promptText([messages[answer]!]).trim(), 'the assistant message should contain the example answer as text').not.toBe('');
      const request = messages.slice(answer + 1);
      step.expect(request.length, `after the example answer comes the real request (user messages); got ${showMessages(result)}`).toBeGreaterThan(0);
      step.expect(request.map((m) => m.role), 'the real request after the example is from the user').toEqual(request.map(() => 'user'));
      const asked = promptText(request);
      step.expect(mentions(asked, id), `the real request (the messages after the example answer) should name ${id}`).toBe(true);
      step.expect(asked, `the real request should include the title of ${id}`).toContain(title);
    }
  });
});

type EmbeddedResource = Extract<PromptMessage['content'], { type: 'resource' }>;

describe(stepTitle(meta, 4), () => {
  const step: StepContext = lesson.step(4);

  async function embedded(client: Parameters<typeof getPrompt>[1], id: string) {
    const result = await getPrompt(step, client, 'triage_task', { project: 'WEB', task: id });
    const uri = `taskboard://projects/WEB/tasks/${id}`;
    const found = result.messages.filter((m) => m.content.type === 'resource');
    const item = found.find((m) => (m.content as EmbeddedResource).resource.uri === uri);
    if (!item) {
      const uris = found.map((m) => (m.content as EmbeddedResource).resource.uri);
      step.fail(
        `triage_task for ${id} should embed the task as a resource with uri "${uri}" ({ type: "resource", resource: { uri, mimeType, text } }); ` +
          (uris.length ? `found resources ${uris.map((u) => `"${u}"`).join(', ')}` : `found no embedded resource in ${showMessages(result)}`),
      );
    }
    step.expect(item.role, 'the embedded task is part of the request, a user message').toBe('user');
    const resource = (item.content as EmbeddedResource).resource;
    step.expect(resource.mimeType, `the embedded task's mimeType`).toBe('application/json');
    const text = 'text' in resource && typeof resource.text === 'string' ? resource.text : undefined;
    if (text === undefined) step.fail('the embedded task should carry its JSON as `text` (not a base64 `blob`).');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return step.fail(`the embedded task's text should be JSON (JSON.stringify(task)), got: ${text.slice(0, 200)}`);
    }
  }

  test('triage_task embeds the task, as the store has it now, as application/json', async () => {
    const { client, store } = await connectToBoard(step);
    store.addComment('WEB-2', 'ben', 'Waiting for the new copy.');
    store.setStatus('WEB-2', 'blocked');
    step.expect(await embedded(client, 'WEB-2'), 'the embedded JSON should equal store.getTask("WEB-2"), every field').toEqual(store.getTask('WEB-2'));

    store.updateTask('WEB-2', { priority: 'urgent', labels: ['copy'] });
    store.setStatus('WEB-2', 'todo');
    step.expect(await embedded(client, 'WEB-2'), 'after the task changed, the prompt embeds the new state (read the store in the handler)').toEqual(store.getTask('WEB-2'));
    step.expect(await embedded(client, 'WEB-3'), 'triage_task for WEB-3 embeds WEB-3').toEqual(store.getTask('WEB-3'));
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

  test('fragments.ts exports roleFragment, contextFragment and instructionsFragment', async () => {
    const { store } = await connectToBoard(step);
    const f = await fragments();
    step.expect((await f.role()).trim().length, 'roleFragment() should return the opening text of the prompts').toBeGreaterThan(20);
    const context = await f.context(store.getProject('WEB'), store.listTasks({ project: 'WEB' }));
    step.expect(context, 'contextFragment(project, tasks) names the project').toContain('WEB');
    for (const task of store.listTasks({ project: 'WEB' })) {
      step.expect(mentions(context, task.id), `contextFragment(project, tasks) lists every task it is given: ${task.id} is missing`).toBe(true);
      step.expect(context, `contextFragment(project, tasks) shows each task's title`).toContain(task.title);
    }
    const instructions = await f.instructions(['Name the riskiest task.', 'Suggest one owner per task.']);
    step.expect(instructions, 'instructionsFragment(steps) contains every step it is given').toContain('Name the riskiest task.');
    step.expect(instructions, 'instructionsFragment(steps) contains every step it is given').toContain('Suggest one owner per task.');
  });

  test('standup_report and plan_sprint both contain exactly what the shared fragments return', async () => {
    const { client, store } = await connectToBoard(step);
    expectArguments(step, await requirePrompt(step, client, 'plan_sprint'), { project: true, goal: false });
    const f = await fragments();
    const role = await f.role();
    step.expect(role.trim(), 'roleFragment() should not be empty').not.toBe('');
    for (const key of ['WEB', 'API']) {
      const context = await f.context(store.getProject(key), store.listTasks({ project: key }));
      step.expect(context.trim(), 'contextFragment(project, tasks) should not be empty').not.toBe('');
      const prompts: Array<[string, Record<string, string>]> = [
        ['standup_report', { project: key }],
        ['plan_sprint', { project: key, goal: 'Ship the next release' }],
      ];
      for (const [name, args] of prompts) {
        const text = promptText(await getPrompt(step, client, name, args));
        step.expect(text, `${name} for ${key} should contain exactly what roleFragment() returns (call it, don't copy its text)`).toContain(role);
        step.expect(
          text,
          `${name} for ${key} should contain exactly what contextFragment(store.getProject("${key}"), store.listTasks({ project: "${key}" })) returns`,
        ).toContain(context);
      }
    }
    const sprint = promptText(await getPrompt(step, client, 'plan_sprint', { project: 'WEB', goal: 'Launch dark mode' }));
    step.expect(sprint, 'plan_sprint includes the goal it is given').toContain('Launch dark mode');
  });
});

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);
  const INVALID_PARAMS = -32602;

  async function expectInvalid(client: Parameters<typeof getPromptError>[1], name: string, args: Record<string, string>, named: string) {
    const error = await getPromptError(step, client, name, args);
    step.expect(
      error.code,
      `prompts/get "${name}" with ${JSON.stringify(args)} should be rejected with InvalidParams (-32602)` +
        (error.code === -32603 ? '; -32603 (InternalError) means the handler threw an ordinary error: throw new McpError(ErrorCode.InvalidParams, …)' : '') +
        `. The error was: ${error.message}`,
    ).toBe(INVALID_PARAMS);
    step.expect(error.message, `the error message should name ${JSON.stringify(named)}, so the user knows what to fix`).toContain(named);
  }

  test('a missing required argument is rejected with InvalidParams naming it', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'standup_report', {}, 'project');
    await expectInvalid(client, 'triage_task', { task: 'WEB-1' }, 'project');
  });

  test('an unknown project is rejected with InvalidParams naming it', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'standup_report', { project: 'NOPE' }, 'NOPE');
    await expectInvalid(client, 'triage_task', { project: 'NOPE', task: 'NOPE-1' }, 'NOPE');
  });

  test('an unknown task, or a task of another project, is rejected with InvalidParams naming it', async () => {
    const { client } = await connectToBoard(step);
    await expectInvalid(client, 'triage_task', { project: 'WEB', task: 'WEB-99' }, 'WEB-99');
    await expectInvalid(client, 'triage_task', { project: 'WEB', task: 'API-1' }, 'API-1');
  });
});
