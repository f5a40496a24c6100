import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isTaskboardError } from '../../../taskboard/index.js';

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

// TODO 4: errors the model can act on, and errors it must never see
//   Right now an unexpected error (a bug, a database outage) is rethrown, and McpServer turns
//   it into a tool error whose text is the error's message: a connection string with a
//   password, say, goes straight to the client. Keep the first branch, replace the rethrow:
//   - log the details (message and stack) to stderr with console.error, with a short
//     reference (randomUUID().slice(0, 8) is imported for you);
//   - return toolError(…) with a generic text that quotes only that reference.
//   Never put error.message or error.stack of an unexpected error in the answer.
export function toolErrorFrom(error: unknown): CallToolResult {
  if (isTaskboardError(error)) return toolError(error.message);
  throw error;
}
