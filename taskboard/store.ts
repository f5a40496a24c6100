import { TaskboardError } from './errors.js';
import {
  PROJECT_KEY_PATTERN,
  TASK_ID_PATTERN,
  type NewTask,
  type Project,
  type StoreEvent,
  type Task,
  type TaskFilter,
  type TaskPatch,
  type TaskStatus,
} from './types.js';

/** Which status may follow which: the rules `setStatus` enforces. */
export const STATUS_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ['in_progress', 'blocked', 'done'],
  in_progress: ['todo', 'blocked', 'done'],
  blocked: ['todo', 'in_progress'],
  done: ['todo'],
};

export interface StoreOptions {
  /** The clock; tests pass a fixed one so dates are predictable. */
  now?: () => Date;
}

/**
 * An in-memory Taskboard. Given complete to every lesson: the lessons teach MCP, not
 * bookkeeping. Everything it returns is a copy, so a caller can never change the store by
 * accident, and every change is announced to listeners (see `subscribe`).
 */
export class TaskboardStore {
  private readonly projects = new Map<string, Project>();
  private readonly tasks = new Map<string, Task>();
  private readonly counters = new Map<string, number>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Listen to every change; returns the function that stops listening. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- projects -------------------------------------------------------------------------

  createProject(input: { key: string; name: string; description?: string }): Project {
    if (!PROJECT_KEY_PATTERN.test(input.key)) {
      throw new TaskboardError(
        'INVALID_INPUT',
        `Project key "${input.key}" is not valid: use 2–10 capital letters or digits, starting with a letter (for example "WEB").`,
      );
    }
    if (this.projects.has(input.key)) {
      throw new TaskboardError('CONFLICT', `A project with key ${input.key} already exists.`);
    }
    const project: Project = {
      key: input.key,
      name: input.name,
      description: input.description ?? '',
      createdAt: this.timestamp(),
    };
    this.projects.set(project.key, project);
    this.counters.set(project.key, 0);
    this.emit({ type: 'project-created', project: { ...project } });
    return { ...project };
  }

  listProjects(): Project[] {
    return [...this.projects.values()].map((project) => ({ ...project }));
  }

  getProject(key: string): Project {
    const project = this.projects.get(key);
    if (!project) {
      const known = [...this.projects.keys()].join(', ') || 'none yet';
      throw new TaskboardError('NOT_FOUND', `Project ${key} not found. Known projects: ${known}.`);
    }
    return { ...project };
  }

  hasProject(key: string): boolean {
    return this.projects.has(key);
  }

  // ---- tasks ----------------------------------------------------------------------------

  createTask(input: NewTask): Task {
    this.getProject(input.project);
    const title = input.title.trim();
    if (!title) throw new TaskboardError('INVALID_INPUT', 'A task needs a non-empty title.');
    const number = (this.counters.get(input.project) ?? 0) + 1;
    this.counters.set(input.project, number);
    const at = this.timestamp();
    const task: Task = {
      id: `${input.project}-${number}`,
      project: input.project,
      title,
      description: input.description ?? '',
      status: 'todo',
      priority: input.priority ?? 'medium',
      assignee: input.assignee ?? null,
      labels: [...(input.labels ?? [])],
      dueDate: input.dueDate ?? null,
      comments: [],
      createdAt: at,
      updatedAt: at,
    };
    this.tasks.set(task.id, task);
    this.emit({ type: 'task-created', task: copyTask(task) });
    return copyTask(task);
  }

  getTask(id: string): Task {
    return copyTask(this.requireTask(id));
  }

  hasTask(id: string): boolean {
    return this.tasks.has(id);
  }

  /** Tasks matching every given filter field, oldest first (by number within a project). */
  listTasks(filter: TaskFilter = {}): Task[] {
    if (filter.project !== undefined) this.getProject(filter.project);
    const text = filter.text?.toLowerCase();
    return [...this.tasks.values()]
      .filter((task) => filter.project === undefined || task.project === filter.project)
      .filter((task) => !filter.status?.length || filter.status.includes(task.status))
      .filter((task) => !filter.priority?.length || filter.priority.includes(task.priority))
      .filter((task) => filter.assignee === undefined || task.assignee === filter.assignee)
      .filter((task) => !filter.labels?.length || filter.labels.every((label) => task.labels.includes(label)))
      .filter((task) => filter.dueAfter === undefined || (task.dueDate !== null && task.dueDate >= filter.dueAfter))
      .filter((task) => filter.dueBefore === undefined || (task.dueDate !== null && task.dueDate <= filter.dueBefore))
      .filter(
        (task) =>
          text === undefined ||
          task.title.toLowerCase().includes(text) ||
          task.description.toLowerCase().includes(text),
      )
      .map(copyTask);
  }

  updateTask(id: string, patch: TaskPatch): Task {
    const task = this.requireTask(id);
    if (patch.title !== undefined && !patch.title.trim()) {
      throw new TaskboardError('INVALID_INPUT', 'A task needs a non-empty title.');
    }
    Object.assign(task, structuredClone(patch), { updatedAt: this.timestamp() });
    this.emit({ type: 'task-updated', task: copyTask(task) });
    return copyTask(task);
  }

  /** Moves a task to a new status, following STATUS_TRANSITIONS. */
  setStatus(id: string, status: TaskStatus): Task {
    const task = this.requireTask(id);
    if (task.status === status) {
      throw new TaskboardError('INVALID_TRANSITION', `Task ${id} is already ${status}.`);
    }
    const allowed = STATUS_TRANSITIONS[task.status];
    if (!allowed.includes(status)) {
      throw new TaskboardError(
        'INVALID_TRANSITION',
        `Task ${id} cannot go from ${task.status} to ${status}; from ${task.status} it can go to: ${allowed.join(', ')}.`,
      );
    }
    task.status = status;
    task.updatedAt = this.timestamp();
    this.emit({ type: 'task-updated', task: copyTask(task) });
    return copyTask(task);
  }

  completeTask(id: string): Task {
    return this.setStatus(id, 'done');
  }

  addComment(id: string, author: string, body: string): Task {
    const task = this.requireTask(id);
    if (!body.trim()) throw new TaskboardError('INVALID_INPUT', 'A comment needs a non-empty body.');
    task.comments.push({ author, body, createdAt: this.timestamp() });
    task.updatedAt = this.timestamp();
    this.emit({ type: 'task-updated', task: copyTask(task) });
    return copyTask(task);
  }

  deleteTask(id: string): void {
    this.requireTask(id);
    this.tasks.delete(id);
    this.emit({ type: 'task-deleted', taskId: id });
  }

  // ---- internals --------------------------------------------------------------------------

  private requireTask(id: string): Task {
    if (!TASK_ID_PATTERN.test(id)) {
      throw new TaskboardError(
        'INVALID_INPUT',
        `"${id}" is not a task id: task ids look like WEB-12 (project key, dash, number).`,
      );
    }
    const task = this.tasks.get(id);
    if (!task) {
      const project = id.slice(0, id.lastIndexOf('-'));
      throw new TaskboardError(
        'NOT_FOUND',
        `Task ${id} not found. List the tasks of project ${project} to see which ids exist.`,
      );
    }
    return task;
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function copyTask(task: Task): Task {
  return structuredClone(task);
}
