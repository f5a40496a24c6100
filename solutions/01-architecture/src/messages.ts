/**
 * The four kinds of JSON-RPC 2.0 message MCP is made of, and a way to tell them apart.
 * https://modelcontextprotocol.io/specification/2025-11-25/basic#messages
 */
export type MessageKind = 'request' | 'notification' | 'response' | 'error' | 'invalid';

// Step 1: classify a JSON-RPC message
export function classifyMessage(message: unknown): MessageKind {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'invalid';
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'invalid';
  // MCP ids are strings or integers, never null (stricter than plain JSON-RPC).
  const hasId = 'id' in m;
  const validId = typeof m.id === 'string' || (typeof m.id === 'number' && Number.isInteger(m.id));
  if (hasId && !validId) return 'invalid';

  if (typeof m.method === 'string') {
    if ('result' in m || 'error' in m) return 'invalid';
    return hasId ? 'request' : 'notification';
  }
  if ('method' in m) return 'invalid';
  const hasResult = 'result' in m;
  const hasError = 'error' in m;
  if (hasResult === hasError) return 'invalid'; // exactly one of the two
  // A result always answers a request by its id; an error may lack one when the request's id
  // could not be read at all (a parse error, say).
  if (hasResult) return hasId ? 'response' : 'invalid';
  const error = m.error as Record<string, unknown> | null;
  const wellFormed = error !== null && typeof error === 'object' && Number.isInteger(error.code) && typeof error.message === 'string';
  return wellFormed ? 'error' : 'invalid';
}
