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

/** What import_tasks hands the store (R-PROG): a cancellation signal, and who hears how far it got. */
export interface ImportOptions {
  signal?: AbortSignal;
  /** Called as items are written (inside the transaction): items written so far, and the total. */
  onProgress?: (done: number, total: number) => Promise<void> | void;
}

// TODO 1: R-STORE (SPEC.md). The Taskboard in one sqlite file, opened with node:sqlite:
// numbered migrations tracked in PRAGMA user_version, WAL mode, every write in one transaction,
// import all or nothing, numbering that continues after a restart and never repeats under load.
// This is the interface the rest of the skeleton uses; how you build it is yours. Writes and reads
// are async: an import (R-PROG) keeps its transaction open across turns of the event loop, so the
// other writes must wait for it, and a read must not see it half-way.
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

  async createProject(_key: string, _name: string): Promise<Project> {
    throw new Error('TODO 1: createProject');
  }

  async createTask(_project: string, _item: ImportItem): Promise<StoredTask> {
    throw new Error('TODO 1: createTask');
  }

  async importTasks(_project: string, _items: readonly ImportItem[], _options: ImportOptions = {}): Promise<StoredTask[]> {
    throw new Error('TODO 1: importTasks (R-STORE-4: all or nothing)');
  }

  async getTask(_id: string): Promise<StoredTask> {
    throw new Error('TODO 1: getTask');
  }

  async listTasks(_project: string, _status?: TaskStatus): Promise<StoredTask[]> {
    throw new Error('TODO 1: listTasks');
  }

  /** Reads the task, lets `decide` check the move, writes the new status: one transaction. */
  async setStatus(_id: string, _decide: (task: StoredTask) => TaskStatus): Promise<StoredTask> {
    throw new Error('TODO 1: setStatus');
  }
}
