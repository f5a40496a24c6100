/** The Taskboard domain: the small project tracker every lesson builds on. */

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** A project key: 2–10 capital letters, like `WEB` or `API`. */
export const PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
/** A task id: the project key, a dash and a number, like `WEB-12`. */
export const TASK_ID_PATTERN = /^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*$/;

export interface Project {
  key: string;
  name: string;
  description: string;
  createdAt: string;
}

export interface Comment {
  author: string;
  body: string;
  createdAt: string;
}

export interface Task {
  id: string;
  project: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee: string | null;
  labels: string[];
  /** ISO date (YYYY-MM-DD) or null. */
  dueDate: string | null;
  comments: Comment[];
  createdAt: string;
  updatedAt: string;
}

export interface NewTask {
  project: string;
  title: string;
  description?: string;
  priority?: TaskPriority;
  assignee?: string | null;
  labels?: string[];
  dueDate?: string | null;
}

export type TaskPatch = Partial<Pick<Task, 'title' | 'description' | 'priority' | 'assignee' | 'labels' | 'dueDate'>>;

export interface TaskFilter {
  project?: string;
  status?: TaskStatus[];
  priority?: TaskPriority[];
  assignee?: string;
  /** Tasks carrying every one of these labels. */
  labels?: string[];
  /** Inclusive ISO dates. */
  dueAfter?: string;
  dueBefore?: string;
  /** Case-insensitive substring of title or description. */
  text?: string;
}

/** What the store tells its listeners: lessons turn these into MCP notifications. */
export type StoreEvent =
  | { type: 'project-created'; project: Project }
  | { type: 'task-created'; task: Task }
  | { type: 'task-updated'; task: Task }
  | { type: 'task-deleted'; taskId: string };
