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

/** Five tasks in two projects, different in every way search_tasks can filter. */
export function seedVariedTasks(store: Store): void {
  store.createProject({ key: 'API', name: 'Public API' });
  store.createTask({ project: 'WEB', title: 'Fix the login form', priority: 'high', labels: ['bug', 'auth'], assignee: 'ana', dueDate: '2026-03-10' });
  store.createTask({ project: 'WEB', title: 'Write the API guide', priority: 'medium', labels: ['docs'], assignee: 'ben', dueDate: '2026-04-01' });
  store.createTask({ project: 'WEB', title: 'Refactor the CSS', priority: 'low', labels: ['tech-debt'] });
  store.createTask({ project: 'WEB', title: 'Ship version 2', priority: 'urgent', labels: ['release', 'bug'], assignee: 'ana', dueDate: '2026-02-01' });
  store.createTask({ project: 'API', title: 'Rate-limit search', priority: 'urgent', labels: ['bug'], assignee: 'ana', dueDate: '2026-03-20' });
  store.setStatus('WEB-2', 'in_progress');
  store.setStatus('WEB-3', 'blocked');
  store.completeTask('WEB-4');
}

/** `count` plain tasks in WEB: WEB-1 … WEB-count. */
export function seedManyTasks(count: number) {
  return (store: Store) => {
    for (let i = 1; i <= count; i++) store.createTask({ project: 'WEB', title: `Task number ${i}` });
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
