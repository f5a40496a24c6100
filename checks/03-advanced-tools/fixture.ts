import { format } from 'node:util';
import { vi } from 'vitest';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { TaskboardStore as Store } from '../../taskboard/index.js';
import { connectServer, show, textOf, type StepContext } from '../harness/index.js';

/**
 * A fresh board (project WEB, plus whatever `seed` adds) served by the student's createServer
 * with `options` (beforeEachItem, estimator, deadlineMs …), and a Client on it.
 */
export async function connectToBoard(step: StepContext, options: Record<string, unknown> = {}, seed?: (store: Store) => void) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore();
  store.createProject({ key: 'WEB', name: 'Website' });
  seed?.(store);
  return connectTo(step, store, options);
}

/** The student's server on a given store (a real one, or one that fails on purpose). */
export async function connectTo(step: StepContext, store: Store, options: Record<string, unknown> = {}) {
  return { store, ...(await connectServer(step, { store, ...options })) };
}

/**
 * Eight tasks in two projects, seeded so that every wrong filter gives a different answer than
 * the right one: urgent tasks of two assignees, tasks carrying both, one or neither of "bug" and
 * "auth" (all-of vs any-of), due dates on both ends of a range (inclusive vs exclusive) and
 * tasks with no due date, statuses that differ within a project. The expected ids of each
 * search are in the checks.
 */
export function seedVariedTasks(store: Store): void {
  store.createProject({ key: 'API', name: 'Public API' });
  store.createTask({ project: 'WEB', title: 'Fix the login form', priority: 'high', labels: ['bug', 'auth'], assignee: 'ana', dueDate: '2026-03-10' }); // WEB-1
  store.createTask({ project: 'WEB', title: 'Write the API guide', priority: 'medium', labels: ['docs'], assignee: 'ben', dueDate: '2026-04-01' }); // WEB-2
  store.createTask({ project: 'WEB', title: 'Refactor the CSS', priority: 'low', labels: ['tech-debt'] }); // WEB-3
  store.createTask({ project: 'WEB', title: 'Ship version 2', priority: 'urgent', labels: ['release', 'bug'], assignee: 'ana', dueDate: '2026-02-01' }); // WEB-4
  store.createTask({ project: 'API', title: 'Rate-limit search', priority: 'urgent', labels: ['bug'], assignee: 'ana', dueDate: '2026-03-20' }); // API-1
  store.createTask({ project: 'WEB', title: 'Lock out brute force', priority: 'urgent', labels: ['auth', 'bug'], assignee: 'ben', dueDate: '2026-03-31' }); // WEB-5
  store.createTask({ project: 'API', title: 'Rotate the API keys', priority: 'high', labels: ['auth'], assignee: 'carl', dueDate: '2026-03-01' }); // API-2
  store.createTask({ project: 'WEB', title: 'Tidy the footer', priority: 'medium', assignee: 'ana' }); // WEB-6
  store.setStatus('WEB-2', 'in_progress');
  store.setStatus('WEB-3', 'blocked');
  store.completeTask('WEB-4');
  store.setStatus('API-2', 'in_progress');
}

/**
 * `count` plain tasks in WEB (WEB-1 … WEB-count), with a task of another project (API) after
 * every fourth: a search filtered on WEB must page over the matches, not over every task.
 */
export function seedManyTasks(count: number) {
  return (store: Store) => {
    store.createProject({ key: 'API', name: 'Public API' });
    for (let i = 1; i <= count; i++) {
      store.createTask({ project: 'WEB', title: `Task number ${i}` });
      if (i % 4 === 0) store.createTask({ project: 'API', title: `Other project ${i / 4}` });
    }
  };
}

export interface Page {
  ids: string[];
  nextCursor: unknown;
  hasNextCursor: boolean;
}

/**
 * The page a search_tasks answer carries: its structuredContent when there is one, else its
 * text parsed as JSON (step 1 answers with the page as JSON text; step 2 adds structuredContent).
 */
export function readPage(step: StepContext, result: CallToolResult): Page {
  if (result.isError) step.fail(`search_tasks answered with a tool error: ${show(result)}`);
  let page: unknown = result.structuredContent;
  if (page === undefined) {
    try {
      page = JSON.parse(textOf(result));
    } catch {
      step.fail(
        `search_tasks should answer with the page as JSON text, {"tasks":[…],"nextCursor":"…"} (or as structuredContent), got ${show(result)}`,
      );
    }
  }
  const tasks = (page as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) step.fail(`the page should have a "tasks" array, got ${show(page)}`);
  const ids = tasks.map((task: unknown) => (task as { id?: unknown } | null)?.id);
  if (!ids.every((id): id is string => typeof id === 'string')) {
    step.fail(`every task on the page needs its "id" (like "WEB-1"), got ${show(tasks)}`);
  }
  const record = page as Record<string, unknown>;
  return { ids, nextCursor: record.nextCursor, hasNextCursor: 'nextCursor' in record && record.nextCursor !== undefined };
}

/**
 * The pages a result carries as JSON text (step 1's answer, step 2's fallback): every text item
 * that parses as an object with a "tasks" array. Other text items (a summary line, say) are allowed.
 */
export function textPages(result: CallToolResult): Array<{ ids: unknown[]; nextCursor: unknown }> {
  const pages: Array<{ ids: unknown[]; nextCursor: unknown }> = [];
  for (const item of result.content ?? []) {
    if (item.type !== 'text') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(item.text);
    } catch {
      continue;
    }
    const tasks = (parsed as { tasks?: unknown } | null)?.tasks;
    if (!Array.isArray(tasks)) continue;
    pages.push({ ids: tasks.map((t: unknown) => (t as { id?: unknown } | null)?.id), nextCursor: (parsed as { nextCursor?: unknown }).nextCursor });
  }
  return pages;
}

/** The sorted ids, for comparing sets without caring about order. */
export function sorted(ids: string[]): string[] {
  return [...ids].sort();
}

/** A tool's annotations, or an empty object. */
export function annotationsOf(tool: Tool): NonNullable<Tool['annotations']> {
  return tool.annotations ?? {};
}

/** A promise with its resolve function outside: what a check hands a server to control its pace. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const SECRET = 'hunter2-s3cr3t';
export const SECRET_PATH = '/srv/taskboard/src/db/pool.ts';

/**
 * A store whose every method (but subscribe) throws what a broken database driver throws:
 * a message with a connection string holding a password, and a stack with server paths.
 */
export function failingStore(store: Store): Store {
  const error = new Error(`connect ECONNREFUSED postgres://taskboard:${SECRET}@db.internal:5432/board`);
  error.stack = `${error.message}\n    at Pool.connect (${SECRET_PATH}:88:11)\n    at TaskRepository.query (/srv/taskboard/src/db/tasks.ts:41:5)`;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'subscribe' || property === 'constructor') return value;
      return () => {
        throw error;
      };
    },
  });
}

/**
 * Captures what the server writes to stderr and stdout (console.* or process.std*.write) until
 * the returned function is called, and keeps it off the terminal. Arguments are formatted the way
 * console.error formats them (util.format), so an Error shows its stack, as an operator would see it.
 */
export function captureOutput(): () => { stderr: string; stdout: string } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const keepIn = (lines: string[]) => (...args: unknown[]) => void lines.push(format(...args));
  const chunk = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString());
  const spies = [
    vi.spyOn(console, 'error').mockImplementation(keepIn(stderr)),
    vi.spyOn(console, 'warn').mockImplementation(keepIn(stderr)),
    vi.spyOn(console, 'trace').mockImplementation(keepIn(stderr)),
    vi.spyOn(console, 'log').mockImplementation(keepIn(stdout)),
    vi.spyOn(console, 'info').mockImplementation(keepIn(stdout)),
    vi.spyOn(console, 'debug').mockImplementation(keepIn(stdout)),
    vi.spyOn(console, 'dir').mockImplementation(keepIn(stdout)),
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      stderr.push(chunk(c));
      return true;
    }),
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout.push(chunk(c));
      return true;
    }),
  ];
  return () => {
    for (const spy of spies) spy.mockRestore();
    return { stderr: stderr.join('\n'), stdout: stdout.join('\n') };
  };
}
