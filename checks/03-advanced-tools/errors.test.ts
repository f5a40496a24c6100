import { describe, test, vi } from 'vitest';
import { callTool, listTools, NotificationLog, requireTool, show, stepTitle, textOf, useLesson } from '../harness/index.js';
import { connectTo, connectToBoard, failingStore, SECRET, SECRET_PATH } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

/** Valid arguments for each tool of the lesson, so only the failing store can make a call fail. */
const VALID_ARGS: Record<string, Record<string, unknown>> = {
  create_task: { project: 'WEB', title: 'Anything' },
  list_tasks: { project: 'WEB' },
  complete_task: { id: 'WEB-1' },
  delete_task: { id: 'WEB-1' },
  search_tasks: {},
  import_tasks: { project: 'WEB', tasks: [{ title: 'Anything' }] },
  estimate_task: { id: 'WEB-1' },
};

/** Captures what the server writes to stderr (console.error or process.stderr.write) during a check, and keeps it off the terminal. */
function captureStderr(): () => string {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => {
    lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : safeJson(a))).join(' '));
  };
  const consoleError = vi.spyOn(console, 'error').mockImplementation(keep);
  const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(keep);
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  });
  return () => {
    consoleError.mockRestore();
    consoleWarn.mockRestore();
    write.mockRestore();
    return lines.join('\n');
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

describe(stepTitle(meta, 4), () => {
  const step = lesson.step(4);

  test('a domain failure is a tool error that tells the model how to recover', async () => {
    const { client } = await connectToBoard(step);
    await requireTool(step, client, 'delete_task');
    const missing = await callTool(step, client, 'delete_task', { id: 'WEB-999' });
    step.expect(missing.isError, `deleting WEB-999 (no such task) is a tool error, got ${show(missing)}`).toBe(true);
    step.expect(textOf(missing), 'the error names the task that does not exist').toContain('WEB-999');

    await requireTool(step, client, 'search_tasks');
    const unknown = await callTool(step, client, 'search_tasks', { filter: { project: 'NOPE' } });
    step.expect(unknown.isError, `searching project NOPE (no such project) is a tool error, got ${show(unknown)}`).toBe(true);
    step.expect(textOf(unknown), 'the error names the unknown project').toContain('NOPE');
    step.expect(textOf(unknown), 'and says which projects exist, so the model can retry').toContain('WEB');
  });

  test('invalid input is rejected with the name of the bad field', async () => {
    const { client, store } = await connectToBoard(step);
    await requireTool(step, client, 'search_tasks');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['search_tasks', { filter: { status: ['someday'] } }, 'status'],
      ['search_tasks', { filter: { due: { after: 'next week' } } }, 'after'],
      ['search_tasks', { limit: 'lots' }, 'limit'],
      ['create_task', { project: 'WEB', title: 'x', priority: 'whenever' }, 'priority'],
    ];
    for (const [tool, args, field] of cases) {
      const result = await callTool(step, client, tool, args);
      step.expect(result.isError, `${tool} with ${JSON.stringify(args)} must be rejected, got ${show(result)}`).toBe(true);
      step.expect(textOf(result), `the rejection of ${JSON.stringify(args)} names the field "${field}"`).toContain(field);
    }
    step.expect(store.listTasks(), 'a rejected call creates nothing').toHaveLength(0);
  });

  test('an unexpected exception is a tool error that leaks neither its message nor its stack', async () => {
    const { TaskboardStore } = await step.taskboard();
    const real = new TaskboardStore();
    real.createProject({ key: 'WEB', name: 'Website' });
    const { client } = await connectTo(step, failingStore(real));
    const log = new NotificationLog(client);
    const tools = (await listTools(step, client)).filter((t) => t.name in VALID_ARGS);
    step.expect(tools.length, 'the lesson\'s tools should be registered').toBeGreaterThan(0);
    const stderr = captureStderr();
    try {
      for (const tool of tools) {
        const result = await callTool(step, client, tool.name, VALID_ARGS[tool.name]);
        step.expect(result.isError, `${tool.name}: a crash in the store must come back as a tool error, got ${show(result)}`).toBe(true);
        const answer = JSON.stringify(result);
        step.expect(answer.includes(SECRET), `${tool.name} leaked the error's message (with a password in it) to the client: ${show(result)}. Send a generic text; log the details to stderr.`).toBe(false);
        step.expect(answer.includes('/srv/taskboard'), `${tool.name} leaked the stack trace (server paths) to the client: ${show(result)}`).toBe(false);
        step.expect(textOf(result).trim(), `${tool.name}: the tool error still needs a text saying something went wrong`).not.toBe('');
      }
    } finally {
      stderr();
    }
    const leaked = log.received.filter((n) => JSON.stringify(n).includes(SECRET) || JSON.stringify(n).includes(SECRET_PATH));
    step.expect(leaked.map((n) => n.method), 'log messages to the client (notifications/message) must not carry the details either').toEqual([]);
  });

  test('the details of an unexpected exception are logged to stderr for the operator', async () => {
    const { TaskboardStore } = await step.taskboard();
    const real = new TaskboardStore();
    real.createProject({ key: 'WEB', name: 'Website' });
    const { client } = await connectTo(step, failingStore(real));
    const stderr = captureStderr();
    let written = '';
    try {
      await callTool(step, client, 'list_tasks', { project: 'WEB' });
    } finally {
      written = stderr();
    }
    step.expect(written.includes('ECONNREFUSED'), `log the unexpected error (its message or stack) with console.error in toolErrorFrom; stderr got: ${JSON.stringify(written.slice(0, 300))}`).toBe(true);
  });
});
