import type { TaskStatus } from '../../../taskboard/index.js';
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

// TODO 2: R-STATUS (SPEC.md). Decide whether `caller` may move `task` to `to`: return `to`, or
// throw a TaskboardError the tool turns into a tool error.
export function checkTransition(_task: StoredTask, _to: TaskStatus, _caller: Caller): TaskStatus {
  throw new Error('TODO 2: the legal moves and who may make them (SPEC.md, R-STATUS)');
}
