/**
 * Domain failures. Each carries a code a server can map to the right MCP answer
 * (a tool error, "resource not found", …) and a message written for the person or model
 * that has to fix the call.
 */
export type TaskboardErrorCode = 'NOT_FOUND' | 'INVALID_INPUT' | 'CONFLICT' | 'INVALID_TRANSITION';

export class TaskboardError extends Error {
  override readonly name = 'TaskboardError';
  constructor(
    readonly code: TaskboardErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTaskboardError(error: unknown): error is TaskboardError {
  return error instanceof TaskboardError;
}
