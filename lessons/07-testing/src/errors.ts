import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isTaskboardError } from '../../../taskboard/index.js';
import type { Logger } from './logger.js';

/** Where unexpected errors are reported (the operator's log); set by createServer. */
let operatorLog: Pick<Logger, 'error'> = { error: (msg, fields) => console.error(msg, fields) };

export function reportUnexpectedErrorsTo(logger: Pick<Logger, 'error'>): void {
  operatorLog = logger;
}

/** A successful tool answer made of one text block. */
export function toolResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** A tool error: the call worked, the work did not. The text is for the model: say how to recover. */
export function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * Runs the work of a tool and turns anything it throws into a tool error with toolErrorFrom,
 * so no handler has to write its own try/catch.
 */
export async function runTool(work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    return toolErrorFrom(error);
  }
}

// Lesson 03, step 4: errors the model can act on, and errors it must never see
/**
 * The tool error for something a tool threw.
 * - A TaskboardError is a domain failure: its message was written for the caller, pass it on.
 * - Anything else is a bug or an outage: its message and stack may hold secrets, paths or
 *   connection strings. Log the details to stderr for the operator, with a reference, and
 *   answer with a generic text that carries only the reference.
 */
export function toolErrorFrom(error: unknown): CallToolResult {
  if (isTaskboardError(error)) return toolError(error.message);
  const reference = randomUUID().slice(0, 8);
  operatorLog.error('unexpected error in a tool', { ref: reference, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return toolError(
    `The tool failed because of an internal error (ref ${reference}); it has been logged. ` +
      'Retrying the same call will probably fail the same way: tell the user, quoting the reference.',
  );
}
