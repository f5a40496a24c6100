import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { RequestHandler } from 'express';

export const READ_SCOPE = 'tasks:read';
export const WRITE_SCOPE = 'tasks:write';

/**
 * The tools that only read the board. Every other tool, including one added later and
 * forgotten here, needs tasks:write: a list of what is safe fails closed.
 */
export const READ_TOOLS: ReadonlySet<string> = new Set(['list_tasks', 'search_tasks', 'estimate_task', 'find_task']);

// Step 4: per-tool scopes
/** The scopes one JSON-RPC message needs: tasks:read for everything, tasks:write as well to change the board. */
export function scopesFor(message: unknown): string[] {
  const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
  if (method === 'tools/call' && !READ_TOOLS.has(String(params?.name))) return [READ_SCOPE, WRITE_SCOPE];
  return [READ_SCOPE];
}

/**
 * Refuses, with 403 insufficient_scope, a request whose token lacks a scope its message needs.
 * Checked here, before the MCP server sees the message, so the client gets the HTTP answer the
 * authorization spec describes (a client can then ask the user for more: step-up authorization).
 * A body may hold several messages: the scopes of all of them are needed.
 */
export function requireScopes(resourceMetadataUrl: string | undefined): RequestHandler {
  return (req, res, next) => {
    const auth = (req as { auth?: AuthInfo }).auth;
    const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    const needed = [...new Set(messages.flatMap(scopesFor))];
    const missing = needed.filter((scope) => !auth?.scopes.includes(scope));
    if (missing.length === 0) return next();
    const description = `This request needs the scope ${missing.join(' ')}.`;
    res.set(
      'WWW-Authenticate',
      `Bearer error="insufficient_scope", scope="${needed.join(' ')}", error_description="${description}"` +
        (resourceMetadataUrl ? `, resource_metadata="${resourceMetadataUrl}"` : ''),
    );
    res.status(403).json({ error: 'insufficient_scope', error_description: description });
  };
}
