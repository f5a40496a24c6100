import { describe, test } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callTool, listTools, NotificationLog, requireTool, show, stepTitle, textOf, useLesson, type StepContext } from '../harness/index.js';
import { captureOutput, connectTo, connectToBoard, failingStore, SECRET, SECRET_PATH } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** Valid arguments for each tool of the lesson, so only the failing store can make a call fail. */
const VALID_ARGS: Record<string, Record<string, unknown>> = {
  create_task: { project: 'WEB', title: 'Anything' },
  list_tasks: { project: 'WEB' },
  complete_task: { id: 'WEB-1' },
  search_tasks: {},
  import_tasks: { project: 'WEB', tasks: [{ title: 'Anything' }] },
  estimate_task: { id: 'WEB-1' },
  delete_task: { id: 'WEB-1' },
};

/** A board whose store fails like a broken database on every call. */
async function connectToBrokenBoard(step: StepContext, options: Record<string, unknown> = {}) {
  const { TaskboardStore } = await step.taskboard();
  const real = new TaskboardStore();
  real.createProject({ key: 'WEB', name: 'Website' });
  real.createTask({ project: 'WEB', title: 'Already there' });
  return connectTo(step, failingStore(real), options);
}

/** One tool call, with what the server wrote to stderr and stdout meanwhile. */
async function callCapturing(step: StepContext, client: Client, tool: string, args: Record<string, unknown>) {
  const stop = captureOutput();
  let output: { stderr: string; stdout: string } | undefined;
  try {
    const result: CallToolResult = await callTool(step, client, tool, args);
    output = stop();
    return { result, ...output };
  } finally {
    if (!output) stop();
  }
}

/** The words of a text (letters and digits), for finding a reference without knowing its wording. */
const words = (text: string) => new Set(text.split(/[^A-Za-z0-9]+/).filter(Boolean));

/** A fast estimator, so estimate_task (step 7), once there, answers at once. */
const estimator = async () => 5;

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('R4.1: a domain failure is a tool error with its own message: the unknown task or project, in every tool that takes one', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'delete_task');
    await requireTool(step, client, 'search_tasks');
    for (const tool of ['complete_task', 'delete_task']) {
      const missing = await callTool(step, client, tool, { id: 'WEB-999' });
      step.expect(missing.isError, `${tool} on WEB-999 (no such task) is a tool error, got ${show(missing)}`).toBe(true);
      step.expect(textOf(missing), `${tool}: the error names the task that does not exist`).toContain('WEB-999');
    }
    const projectArgs: Array<[string, Record<string, unknown>]> = [
      ['create_task', { project: 'NOPE', title: 'Anything' }],
      ['list_tasks', { project: 'NOPE' }],
      ['search_tasks', { filter: { project: 'NOPE' } }],
    ];
    for (const [tool, args] of projectArgs) {
      const unknown = await callTool(step, client, tool, args);
      step.expect(unknown.isError, `${tool} in project NOPE (no such project) is a tool error, got ${show(unknown)}`).toBe(true);
      step.expect(textOf(unknown), `${tool}: the error names the unknown project`).toContain('NOPE');
      step.expect(textOf(unknown), `${tool}: and says which projects exist (WEB), so the model can retry`).toContain('WEB');
    }
  });

  test('R4.2: input that breaks the schema is a tool error naming the bad field, and changes nothing', async () => {
    const { client, store } = await connectToBoard(step);
    await requireTool(step, client, 'search_tasks');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['search_tasks', { filter: { status: ['someday'] } }, 'status'],
      ['search_tasks', { filter: { priority: ['whenever'] } }, 'priority'],
      ['search_tasks', { filter: { due: { after: 'next week' } } }, 'after'],
      ['search_tasks', { filter: { due: { before: '2026-13-45' } } }, 'before'],
      ['search_tasks', { limit: 'lots' }, 'limit'],
      ['create_task', { project: 'WEB', title: 'x', priority: 'whenever' }, 'priority'],
      ['create_task', { project: 'WEB', title: 'x'.repeat(201) }, 'title'],
      ['create_task', { project: 'WEB', title: 'x', description: 'x'.repeat(5001) }, 'description'],
      ['delete_task', { id: 'not an id' }, 'id'],
    ];
    for (const [tool, args, field] of cases) {
      const result = await callTool(step, client, tool, args);
      step.expect(result.isError, `${tool} with ${JSON.stringify(args)} must be rejected, got ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of ${JSON.stringify(args)} names the field "${field}"`).toContain(field);
    }
    step.expect(store.listTasks(), 'a rejected call creates nothing').toHaveLength(0);
  });

  test('R4.3: an unexpected exception is a tool error that leaks neither its message nor its stack, in any tool', async () => {
    const { client } = await connectToBrokenBoard(step, { estimator });
    const log = new NotificationLog(client);
    await requireTool(step, client, 'delete_task');
    await requireTool(step, client, 'search_tasks');
    const tools = (await listTools(step, client)).filter((t) => t.name in VALID_ARGS);
    for (const tool of tools) {
      const { result } = await callCapturing(step, client, tool.name, VALID_ARGS[tool.name]!);
      step.expect(result.isError, `${tool.name}: a crash in the store must come back as a tool error, got ${show(result)}`).toBe(true);
      // The whole result: content, structuredContent, _meta and any other field the answer carries.
      const answer = JSON.stringify(result);
      step.expect(answer.includes(SECRET), `${tool.name} leaked the error's message (with a password in it) to the client: ${show(result)}. Send a generic text; log the details to stderr.`).toBe(false);
      step.expect(answer.includes('/srv/taskboard'), `${tool.name} leaked the stack trace (server paths) to the client: ${show(result)}`).toBe(false);
      step.expect(answer.includes('ECONNREFUSED'), `${tool.name} passed the unexpected error's message on to the client: ${show(result)}`).toBe(false);
      step.expect(textOf(result).trim(), `${tool.name}: the tool error still needs a text saying something went wrong`).not.toBe('');
    }
    const leaked = log.received.filter((n) => JSON.stringify(n).includes(SECRET) || JSON.stringify(n).includes(SECRET_PATH));
    step.expect(leaked.map((n) => n.method), 'notifications to the client (log messages, progress) must not carry the details either').toEqual([]);
  });

  test('R4.4: the details of an unexpected exception, message and stack, are logged to stderr', async () => {
    const { client } = await connectToBrokenBoard(step);
    await requireTool(step, client, 'delete_task');
    for (const [tool, args] of [['list_tasks', { project: 'WEB' }], ['delete_task', { id: 'WEB-1' }]] as const) {
      const { stderr } = await callCapturing(step, client, tool, args);
      const seen = JSON.stringify(stderr.slice(0, 300));
      step.expect(stderr.includes('ECONNREFUSED'), `${tool}: log the unexpected error's message with console.error in toolErrorFrom; stderr got: ${seen}`).toBe(true);
      step.expect(stderr.includes(SECRET_PATH), `${tool}: log the unexpected error's stack too (console.error(error) or error.stack), so the operator sees where it failed; stderr got: ${seen}`).toBe(true);
    }
  });

  test('R4.5: the generic error quotes a reference that the stderr log line carries too, a new one for every failure', async () => {
    const { client } = await connectToBrokenBoard(step);
    await requireTool(step, client, 'delete_task');
    const first = await callCapturing(step, client, 'list_tasks', { project: 'WEB' });
    const second = await callCapturing(step, client, 'list_tasks', { project: 'WEB' });
    step.expect([first.result.isError, second.result.isError], `a crash in the store is a tool error: ${show(first.result)}`).toEqual([true, true]);
    // The reference is what differs between two answers to the same failure and is found in that failure's log.
    const other = words(textOf(second.result));
    const logged = words(first.stderr);
    const references = [...words(textOf(first.result))].filter((w) => !other.has(w) && logged.has(w));
    step.expect(
      references,
      `quote a short reference in the tool error (a new one each time, like randomUUID().slice(0, 8)) and write the same reference in the stderr log line; ` +
        `two failures answered ${show(textOf(first.result))} and ${show(textOf(second.result))}, stderr had ${JSON.stringify(first.stderr.slice(0, 200))}`,
    ).not.toEqual([]);
  });

  test('R4.6: no tool writes to stdout (the stdio protocol channel), when it works or when it fails', async () => {
    const { client } = await connectToBoard(step, { estimator }, (s) => void s.createTask({ project: 'WEB', title: 'Already there' }));
    await requireTool(step, client, 'delete_task');
    await requireTool(step, client, 'search_tasks');
    const tools = (await listTools(step, client)).filter((t) => t.name in VALID_ARGS).map((t) => t.name);
    // VALID_ARGS lists delete_task last, so the other calls still find WEB-1.
    const ordered = Object.keys(VALID_ARGS).filter((name) => tools.includes(name));
    const broken = (await connectToBrokenBoard(step, { estimator })).client;
    for (const [board, c] of [['working', client], ['failing', broken]] as const) {
      for (const tool of ordered) {
        const { result, stdout } = await callCapturing(step, c, tool, VALID_ARGS[tool]!);
        step.expect(stdout, `${tool} on a ${board} store wrote to stdout (${show(result)}): over stdio, stdout carries JSON-RPC only; log with console.error`).toBe('');
      }
    }
  });
});
