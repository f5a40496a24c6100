import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  PROJECT_KEY_PATTERN,
  TASK_ID_PATTERN,
  TASK_PRIORITIES,
  TaskboardError,
  type NewTask,
  type Project,
  type TaskPriority,
  type TaskStatus,
} from '../../../taskboard/index.js';

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

// Area R-STORE: the sqlite store
/**
 * Each migration runs once, in order, inside a transaction that also bumps `PRAGMA user_version`:
 * a crash mid-migration leaves the previous version, never half of one (R-STORE-1).
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE projects (key TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE tasks (
     id TEXT PRIMARY KEY,
     project TEXT NOT NULL REFERENCES projects(key),
     number INTEGER NOT NULL,
     title TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'todo',
     priority TEXT NOT NULL DEFAULT 'medium',
     assignee TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (project, number)
   );`,
  `ALTER TABLE tasks ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
   CREATE INDEX tasks_by_project_status ON tasks(project, status);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface TaskRow {
  id: string;
  project: string;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee: string | null;
  labels: string;
  created_at: string;
  updated_at: string;
}

/** Listeners hear about every committed change to a task (resource subscriptions use it). */
export type TaskListener = (taskId: string) => void;

/**
 * The Taskboard in one sqlite file. Every write is one transaction (BEGIN IMMEDIATE … COMMIT),
 * so a process killed at any instant leaves each write whole or absent, and listeners hear only
 * of committed changes.
 */
export class SqliteStore {
  private readonly db: DatabaseSync;
  private readonly listeners = new Set<TaskListener>();

  constructor(readonly path: string, private readonly now: () => Date = () => new Date()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL: readers never block the writer and a commit is one append (R-STORE-2). busy_timeout:
    // a second process on the same file waits for the lock instead of failing at once.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.migrate();
  }

  get schemaVersion(): number {
    return (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  get journalMode(): string {
    return (this.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;
  }

  private migrate(): void {
    for (let version = this.schemaVersion; version < MIGRATIONS.length; version++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[version]!);
        this.db.exec(`PRAGMA user_version = ${version + 1}`);
      });
    }
  }

  /** Runs `work` in one write transaction: all of it commits, or (on a throw) none of it. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  subscribe(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  // ---- projects ---------------------------------------------------------------------------

  createProject(key: string, name: string): Project {
    if (!PROJECT_KEY_PATTERN.test(key)) {
      throw new TaskboardError('INVALID_INPUT', `Project key "${key}" is not valid: use 2–10 capital letters or digits, starting with a letter (for example "WEB").`);
    }
    if (!name.trim()) throw new TaskboardError('INVALID_INPUT', 'A project needs a non-empty name.');
    const createdAt = this.now().toISOString();
    return this.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM projects WHERE key = ?').get(key)) {
        throw new TaskboardError('CONFLICT', `A project with key ${key} already exists.`);
      }
      this.db.prepare('INSERT INTO projects (key, name, created_at) VALUES (?, ?, ?)').run(key, name.trim(), createdAt);
      return { key, name: name.trim(), description: '', createdAt };
    });
  }

  listProjects(): Project[] {
    const rows = this.db.prepare('SELECT key, name, created_at FROM projects ORDER BY key').all() as Array<{ key: string; name: string; created_at: string }>;
    return rows.map((r) => ({ key: r.key, name: r.name, description: '', createdAt: r.created_at }));
  }

  private requireProject(key: string): void {
    if (!this.db.prepare('SELECT 1 FROM projects WHERE key = ?').get(key)) {
      const known = this.listProjects().map((p) => p.key).join(', ') || 'none yet';
      throw new TaskboardError('NOT_FOUND', `Project ${key} not found. Known projects: ${known}.`);
    }
  }

  // ---- tasks ------------------------------------------------------------------------------

  createTask(project: string, item: ImportItem): StoredTask {
    const task = this.transaction(() => {
      this.requireProject(project);
      return this.insert(project, item);
    });
    this.emit(task.id);
    return task;
  }

  /** Creates every item or none: one transaction for the whole batch (R-STORE-4). */
  importTasks(project: string, items: readonly ImportItem[]): StoredTask[] {
    const tasks = this.transaction(() => {
      this.requireProject(project);
      return items.map((item, i) => {
        try {
          return this.insert(project, item);
        } catch (error) {
          if (error instanceof TaskboardError) throw new TaskboardError(error.code, `Item ${i}: ${error.message} Nothing was imported.`);
          throw error;
        }
      });
    });
    for (const t of tasks) this.emit(t.id);
    return tasks;
  }

  /** Inside a transaction: the next number of the project is read and used under the write lock, so two writers never get the same id. */
  private insert(project: string, item: ImportItem): StoredTask {
    const title = item.title.trim();
    if (!title) throw new TaskboardError('INVALID_INPUT', 'A task needs a non-empty title.');
    const priority = item.priority ?? 'medium';
    if (!TASK_PRIORITIES.includes(priority)) throw new TaskboardError('INVALID_INPUT', `Priority must be one of ${TASK_PRIORITIES.join(', ')}.`);
    const { next } = this.db.prepare('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM tasks WHERE project = ?').get(project) as { next: number };
    const at = this.now().toISOString();
    const id = `${project}-${next}`;
    this.db
      .prepare('INSERT INTO tasks (id, project, number, title, status, priority, assignee, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, project, next, title, 'todo', priority, item.assignee ?? null, JSON.stringify(item.labels ?? []), at, at);
    return { id, project, title, status: 'todo', priority, assignee: item.assignee ?? null, labels: [...(item.labels ?? [])], createdAt: at, updatedAt: at };
  }

  getTask(id: string): StoredTask {
    if (!TASK_ID_PATTERN.test(id)) {
      throw new TaskboardError('INVALID_INPUT', `"${id}" is not a task id: task ids look like WEB-12 (project key, dash, number).`);
    }
    const row = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    if (!row) throw new TaskboardError('NOT_FOUND', `Task ${id} not found.`);
    return fromRow(row);
  }

  listTasks(project: string, status?: TaskStatus): StoredTask[] {
    this.requireProject(project);
    const rows = (
      status
        ? this.db.prepare('SELECT * FROM tasks WHERE project = ? AND status = ? ORDER BY number').all(project, status)
        : this.db.prepare('SELECT * FROM tasks WHERE project = ? ORDER BY number').all(project)
    ) as unknown as TaskRow[];
    return rows.map(fromRow);
  }

  countTasks(project: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM tasks WHERE project = ?').get(project) as { n: number }).n;
  }

  /**
   * Reads the task, lets `decide` check the move against it, and writes the new status, all in
   * one transaction: two concurrent moves cannot both pass a check made on the same old status.
   */
  setStatus(id: string, decide: (task: StoredTask) => TaskStatus): StoredTask {
    const task = this.transaction(() => {
      const current = this.getTask(id);
      const status = decide(current);
      const at = this.now().toISOString();
      this.db.prepare('UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
      return { ...current, status, updatedAt: at };
    });
    this.emit(task.id);
    return task;
  }

  private emit(taskId: string): void {
    for (const listener of this.listeners) listener(taskId);
  }
}

function fromRow(row: TaskRow): StoredTask {
  return {
    id: row.id,
    project: row.project,
    title: row.title,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    labels: JSON.parse(row.labels) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
