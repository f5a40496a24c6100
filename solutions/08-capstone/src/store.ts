import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
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

/** What import_tasks hands the store (R-PROG): a cancellation signal, and who hears how far it got. */
export interface ImportOptions {
  signal?: AbortSignal;
  /** Called after each chunk is written (inside the transaction): items written so far, and the total. */
  onProgress?: (done: number, total: number) => Promise<void> | void;
}

/** How many items an import writes between two turns of the event loop. */
export const IMPORT_CHUNK = 100;

/** Thrown inside an import's transaction when its request is cancelled: the transaction rolls back. */
export class ImportCancelled extends Error {
  override readonly name = 'ImportCancelled';
}

/**
 * The Taskboard in one sqlite file. Every write is one transaction (BEGIN IMMEDIATE … COMMIT),
 * so a process killed at any instant leaves each write whole or absent, and listeners hear only
 * of committed changes.
 */
export class SqliteStore {
  private readonly db: DatabaseSync;
  /** A second connection for reads: in WAL mode it sees only committed data, never an import half-way. */
  private readonly reader: DatabaseSync;
  private readonly listeners = new Set<TaskListener>();
  /** The write lock: writes run one after another, so none lands inside an import's open transaction. */
  private writes: Promise<unknown> = Promise.resolve();
  /**
   * Prepared statements, by connection and SQL text: SQLite compiles each statement once, not on
   * every call (compiling costs more than running these one-row queries). Only ever run to the end
   * (get, all, run), never left iterating, so one statement serves every caller in turn.
   */
  private readonly statements = new Map<DatabaseSync, Map<string, StatementSync>>();

  constructor(readonly path: string, private readonly now: () => Date = () => new Date()) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL: readers never block the writer and a commit is one append (R-STORE-2). busy_timeout:
    // a second process on the same file waits for the lock instead of failing at once.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.migrate();
    this.reader = path === ':memory:' ? this.db : new DatabaseSync(path);
    if (this.reader !== this.db) this.reader.exec('PRAGMA busy_timeout = 5000;');
  }

  /**
   * Reads once every write queued before it is done, from the reader connection: a read sees the
   * writes sent before it (read your writes, even pipelined over stdio), never half an import, and
   * does not hold up the writes sent after it.
   */
  private async afterWrites<T>(read: () => T): Promise<T> {
    await this.writes;
    return read();
  }

  private statement(db: DatabaseSync, sql: string): StatementSync {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  }

  /** Runs `work` once every write queued before it is done (an async import holds the lock throughout). */
  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  get schemaVersion(): number {
    return (this.statement(this.db, 'PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  get journalMode(): string {
    return (this.statement(this.db, 'PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;
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
    // The reader first: closing the last connection checkpoints the WAL into the database (R-SHUT-1).
    if (this.reader !== this.db && this.reader.isOpen) this.reader.close();
    if (this.db.isOpen) this.db.close();
  }

  // ---- projects ---------------------------------------------------------------------------

  createProject(key: string, name: string): Promise<Project> {
    if (!PROJECT_KEY_PATTERN.test(key)) {
      throw new TaskboardError('INVALID_INPUT', `Project key "${key}" is not valid: use 2–10 capital letters or digits, starting with a letter (for example "WEB").`);
    }
    if (!name.trim()) throw new TaskboardError('INVALID_INPUT', 'A project needs a non-empty name.');
    const createdAt = this.now().toISOString();
    return this.exclusive(() => this.transaction(() => {
      if (this.statement(this.db, 'SELECT 1 FROM projects WHERE key = ?').get(key)) {
        throw new TaskboardError('CONFLICT', `A project with key ${key} already exists.`);
      }
      this.statement(this.db, 'INSERT INTO projects (key, name, created_at) VALUES (?, ?, ?)').run(key, name.trim(), createdAt);
      return { key, name: name.trim(), description: '', createdAt };
    }));
  }

  listProjects(db = this.reader): Project[] {
    const rows = this.statement(db, 'SELECT key, name, created_at FROM projects ORDER BY key').all() as Array<{ key: string; name: string; created_at: string }>;
    return rows.map((r) => ({ key: r.key, name: r.name, description: '', createdAt: r.created_at }));
  }

  private requireProject(key: string, db = this.db): void {
    if (!this.statement(db, 'SELECT 1 FROM projects WHERE key = ?').get(key)) {
      const known = this.listProjects(db).map((p) => p.key).join(', ') || 'none yet';
      throw new TaskboardError('NOT_FOUND', `Project ${key} not found. Known projects: ${known}.`);
    }
  }

  // ---- tasks ------------------------------------------------------------------------------

  async createTask(project: string, item: ImportItem): Promise<StoredTask> {
    const task = await this.exclusive(() =>
      this.transaction(() => {
        this.requireProject(project);
        return this.insert(project, item);
      }),
    );
    this.emit(task.id);
    return task;
  }

  /**
   * Creates every item or none: one transaction for the whole batch (R-STORE-4), written in chunks
   * with a turn of the event loop between them, so progress goes out and a cancellation can be
   * read while it runs (R-PROG). Cancelled or failed: ROLLBACK, nothing of it stays. The write
   * lock is held throughout: no other write can slip into the open transaction.
   */
  async importTasks(project: string, items: readonly ImportItem[], { signal, onProgress }: ImportOptions = {}): Promise<StoredTask[]> {
    const tasks = await this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.requireProject(project);
        const created: StoredTask[] = [];
        for (let start = 0; start < items.length; start += IMPORT_CHUNK) {
          items.slice(start, start + IMPORT_CHUNK).forEach((item, offset) => {
            try {
              created.push(this.insert(project, item));
            } catch (error) {
              if (error instanceof TaskboardError) throw new TaskboardError(error.code, `Item ${start + offset}: ${error.message} Nothing was imported.`);
              throw error;
            }
          });
          await onProgress?.(created.length, items.length);
          // A turn of the event loop: a notifications/cancelled that arrived is read now.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (signal?.aborted) throw new ImportCancelled(`The import into ${project} was cancelled after ${created.length} of ${items.length} items; nothing was imported.`);
        }
        this.db.exec('COMMIT');
        return created;
      } catch (error) {
        // The database may already be closed (shutdown in the middle of an import): then SQLite rolled back.
        if (this.db.isOpen && this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
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
    const { next } = this.statement(this.db, 'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM tasks WHERE project = ?').get(project) as { next: number };
    const at = this.now().toISOString();
    const id = `${project}-${next}`;
    this.statement(this.db, 'INSERT INTO tasks (id, project, number, title, status, priority, assignee, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, project, next, title, 'todo', priority, item.assignee ?? null, JSON.stringify(item.labels ?? []), at, at);
    return { id, project, title, status: 'todo', priority, assignee: item.assignee ?? null, labels: [...(item.labels ?? [])], createdAt: at, updatedAt: at };
  }

  getTask(id: string): Promise<StoredTask> {
    return this.afterWrites(() => this.readTask(id, this.reader));
  }

  private readTask(id: string, db: DatabaseSync): StoredTask {
    if (!TASK_ID_PATTERN.test(id)) {
      throw new TaskboardError('INVALID_INPUT', `"${id}" is not a task id: task ids look like WEB-12 (project key, dash, number).`);
    }
    const row = this.statement(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    if (!row) throw new TaskboardError('NOT_FOUND', `Task ${id} not found.`);
    return fromRow(row);
  }

  listTasks(project: string, status?: TaskStatus): Promise<StoredTask[]> {
    return this.afterWrites(() => this.readTasks(project, status));
  }

  private readTasks(project: string, status?: TaskStatus): StoredTask[] {
    this.requireProject(project, this.reader);
    const rows = (
      status
        ? this.statement(this.reader, 'SELECT * FROM tasks WHERE project = ? AND status = ? ORDER BY number').all(project, status)
        : this.statement(this.reader, 'SELECT * FROM tasks WHERE project = ? ORDER BY number').all(project)
    ) as unknown as TaskRow[];
    return rows.map(fromRow);
  }


  /**
   * Reads the task, lets `decide` check the move against it, and writes the new status, all in
   * one transaction: two concurrent moves cannot both pass a check made on the same old status.
   */
  async setStatus(id: string, decide: (task: StoredTask) => TaskStatus): Promise<StoredTask> {
    const task = await this.exclusive(() =>
      this.transaction(() => {
        const current = this.readTask(id, this.db);
        const status = decide(current);
        const at = this.now().toISOString();
        this.statement(this.db, 'UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
        return { ...current, status, updatedAt: at };
      }),
    );
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
