/**
 * The four kinds of JSON-RPC 2.0 message MCP is made of, and a way to tell them apart.
 * https://modelcontextprotocol.io/specification/2025-11-25/basic#messages
 */
export type MessageKind = 'request' | 'notification' | 'response' | 'error' | 'invalid';

// TODO 1: classify a JSON-RPC message
//   Return 'request' (method + id), 'notification' (method, no id), 'response' (id + result),
//   'error' (an error object with an integer code and a string message, and the request's id,
//   which may be absent when the request's id could not be read, as after a parse error), or
//   'invalid' for anything else: not an object, jsonrpc not exactly "2.0", an id that is not a
//   string or an integer (MCP forbids null ids), both result and error, neither, a result
//   without an id, or a method with a result.
export function classifyMessage(message: unknown): MessageKind {
  throw new Error(`TODO 1: classify ${JSON.stringify(message)}`);
}
