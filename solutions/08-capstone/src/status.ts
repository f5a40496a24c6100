import { STATUS_TRANSITIONS, TaskboardError, type TaskStatus } from '../../../taskboard/index.js';
import type { StoredTask } from './store.js';

/** Who is calling: a name (API key name, or the local user over stdio) and the scopes granted. */
export interface Caller {
  name: string;
  scopes: readonly string[];
}

export const READ_SCOPE = 'tasks:read';
export const WRITE_SCOPE = 'tasks:write';
export const ADMIN_SCOPE = 'tasks:admin';
export const ALL_SCOPES = [READ_SCOPE, WRITE_SCOPE, ADMIN_SCOPE] as const;

// Area R-STATUS: legal moves, and who may make them
/**
 * Decides whether `caller` may move `task` to `to`; returns `to` or throws INVALID_TRANSITION
 * (an illegal move) or FORBIDDEN-like INVALID_INPUT (a move this caller may not make).
 * The order matters: an illegal move is illegal for everyone, admins included (R-STATUS-1).
 */
export function checkTransition(task: StoredTask, to: TaskStatus, caller: Caller): TaskStatus {
  if (task.status === to) throw new TaskboardError('INVALID_TRANSITION', `Task ${task.id} is already ${to}.`);
  const allowed = STATUS_TRANSITIONS[task.status];
  if (!allowed.includes(to)) {
    throw new TaskboardError('INVALID_TRANSITION', `Task ${task.id} cannot go from ${task.status} to ${to}; from ${task.status} it can go to: ${allowed.join(', ')}.`);
  }
  const admin = caller.scopes.includes(ADMIN_SCOPE);
  // R-STATUS-2: reopening finished work is a decision for an admin.
  if (task.status === 'done' && !admin) {
    throw new TaskboardError('CONFLICT', `Reopening ${task.id} (done → ${to}) needs the ${ADMIN_SCOPE} scope.`);
  }
  // R-STATUS-3: an assigned task is moved by its assignee (or an admin).
  if (task.assignee !== null && task.assignee !== caller.name && !admin) {
    throw new TaskboardError('CONFLICT', `Task ${task.id} is assigned to ${task.assignee}: only they or an admin may change its status.`);
  }
  return to;
}
