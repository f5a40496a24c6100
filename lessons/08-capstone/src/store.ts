import { DatabaseSync } from 'node:sqlite';
import type { NewTask, Project, TaskPriority, TaskStatus } from '../../../taskboard/index.js';

/** A task as the capstone stores it: the domain's fields that the spec names. */
export interface StoredTask {
  id: string;
  project: string;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee: string | null;
  labels: string[];
  createdAt: string;
  updatedAt: string;
}

export type ImportItem = Pick<NewTask, 'title' | 'priority' | 'assignee' | 'labels'>;

/** Listeners hear about every committed change to a task (resource subscriptions use it). */
export type TaskListener = (taskId: string) => void;

// TODO 1: R-STORE (SPEC.md). The Taskboard in one sqlite file, opened with node:sqlite:
// numbered migrations tracked in PRAGMA user_version, WAL mode, every write in one transaction,
// import all or nothing, numbering that continues after a restart and never repeats under load.
// This is the interface the rest of the skeleton uses; how you build it is yours.
export class SqliteStore {
  private readonly db: DatabaseSync | undefined;

  constructor(readonly path: string) {
    this.db = undefined;
    throw new Error('TODO 1: open the sqlite file and migrate it (SPEC.md, R-STORE-1)');
  }

  subscribe(_listener: TaskListener): () => void {
    throw new Error('TODO 1: subscribe');
  }

  close(): void {
    this.db?.close();
  }

  createProject(_key: string, _name: string): Project {
    throw new Error('TODO 1: createProject');
  }

  createTask(_project: string, _item: ImportItem): StoredTask {
    throw new Error('TODO 1: createTask');
  }

  importTasks(_project: string, _items: readonly ImportItem[]): StoredTask[] {
    throw new Error('TODO 1: importTasks (R-STORE-4: all or nothing)');
  }

  getTask(_id: string): StoredTask {
    throw new Error('TODO 1: getTask');
  }

  listTasks(_project: string, _status?: TaskStatus): StoredTask[] {
    throw new Error('TODO 1: listTasks');
  }

  /** Reads the task, lets `decide` check the move, writes the new status: one transaction. */
  setStatus(_id: string, _decide: (task: StoredTask) => TaskStatus): StoredTask {
    throw new Error('TODO 1: setStatus');
  }
}
