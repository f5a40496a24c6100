import type { TaskStatus } from '../../taskboard/index.js';
import { connectServer, type StepContext } from '../harness/index.js';

/** A fresh board (project WEB, no tasks) served by the student's createServer, and a Client on it. */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore();
  store.createProject({ key: 'WEB', name: 'Website' });
  const { client } = await connectServer(step, { store });
  return { store, client };
}

/**
 * Tasks in every status, in two projects, so that an ignored filter or a listing of the wrong
 * project gives a different answer; project API has nothing in progress and DOCS no tasks at all.
 */
const SEED: Array<[project: string, title: string, status: TaskStatus]> = [
  ['WEB', 'Fix the signup link', 'todo'],
  ['WEB', 'Redesign the pricing page', 'in_progress'],
  ['WEB', 'Move the blog', 'blocked'],
  ['WEB', 'Ship the footer', 'done'],
  ['WEB', 'Add a dark mode', 'todo'],
  ['API', 'Rate-limit search', 'todo'],
  ['API', 'Document the cursor', 'done'],
  ['API', 'Drop API v1', 'blocked'],
];

/** The seeded board behind the student's server; `ids(project, status?)` says what a listing must show. */
export async function connectToSeededBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore();
  for (const [key, name] of [['WEB', 'Website'], ['API', 'Public API'], ['DOCS', 'Documentation']] as const) {
    store.createProject({ key, name });
  }
  for (const [project, title, status] of SEED) {
    const task = store.createTask({ project, title });
    if (status !== 'todo') store.setStatus(task.id, status);
  }
  const ids = (project: string, status?: TaskStatus) =>
    store
      .listTasks({ project, status: status ? [status] : undefined })
      .map((t) => t.id)
      .sort();
  const { client } = await connectServer(step, { store });
  return { store, client, ids };
}

/** The task ids a text names, as whole tokens ("WEB-1" is not found inside "WEB-12"), sorted. */
export function idsIn(text: string): string[] {
  return [...new Set(text.match(/(?<![A-Za-z0-9-])[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*(?![0-9])/g) ?? [])].sort();
}
