import type { TaskboardStore } from '../../../taskboard/index.js';
import type { Logger } from './logger.js';

/**
 * A background job: every `everyMs`, log the open tasks whose due date has passed. Like a
 * database pool or a cache refresh in a real server, its timer keeps the process alive, so
 * the server only ends when something stops it (src/shutdown.ts): a signal, or the end of stdin.
 * Returns the function that stops it.
 */
export function startOverdueReminder(store: TaskboardStore, logger: Logger, everyMs = 60_000, today = () => new Date().toISOString().slice(0, 10)): () => void {
  const timer = setInterval(() => {
    const day = today();
    const overdue = store.listTasks({ dueBefore: day }).filter((task) => task.status !== 'done' && task.dueDate !== null && task.dueDate < day);
    if (overdue.length) logger.warning('overdue tasks', { tasks: overdue.map((task) => task.id) });
  }, everyMs);
  return () => clearInterval(timer);
}
