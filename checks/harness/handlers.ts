import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Recorder } from './recorder.js';

export interface SettledCall {
  tool: string;
  outcome: 'returned' | 'threw';
}

type RequestHandler = (request: { params?: { name?: unknown } }, extra: unknown) => Promise<unknown>;

/**
 * Tells a check when the server has finished handling a tools/call, even one whose answer is
 * never sent (a cancelled request gets no response). Wraps the tools/call handler McpServer
 * installed on its protocol layer (`server.server`), so call it after the tools are registered
 * (after createServer) and before the call. This reaches into the SDK 1.32 Protocol internals
 * (`_requestHandlers`); it is the check's instrument, the student's code is untouched.
 */
export function watchToolCalls(server: McpServer): Recorder<SettledCall> {
  const settled = new Recorder<SettledCall>((c) => `${c.tool} ${c.outcome}`);
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RequestHandler> })._requestHandlers;
  const original = handlers?.get('tools/call');
  if (!(handlers instanceof Map)) {
    throw new Error('harness: the SDK no longer keeps its request handlers in Protocol._requestHandlers; update checks/harness/handlers.ts');
  }
  if (!original) {
    // No tool registered yet: nothing to watch, and tools/call itself fails with its own message.
    return settled;
  }
  handlers.set('tools/call', async (request, extra) => {
    const tool = String(request.params?.name);
    try {
      const result = await original(request, extra);
      settled.record({ tool, outcome: 'returned' });
      return result;
    } catch (error) {
      settled.record({ tool, outcome: 'threw' });
      throw error;
    }
  });
  return settled;
}
