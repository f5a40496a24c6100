import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS } from './connect.js';
import { describeError, waitingFor } from './failure.js';
import type { StepContext } from './step-context.js';

/**
 * Requests a check sends, each with a deadline: a handler that never answers fails the check
 * with a message instead of hanging the suite.
 */
export async function request<T>(step: StepContext, what: string, send: (options: RequestOptions) => Promise<T>, options: RequestOptions = {}): Promise<T> {
  try {
    return await waitingFor(`the answer to ${what}`, send({ timeout: ANSWER_TIMEOUT_MS, ...options }));
  } catch (error) {
    return step.fail(`${what} failed: ${describeError(error)}`);
  }
}

/** The server's tools; none at all when it has not declared the tools capability (no tool registered yet). */
export async function listTools(step: StepContext, client: Client): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const { tools } = await request(step, 'tools/list', (o) => client.listTools({}, o));
  return tools;
}

/** Finds a tool by name or fails with the names that are there. */
export async function requireTool(step: StepContext, client: Client, name: string): Promise<Tool> {
  const tools = await listTools(step, client);
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    step.fail(
      `expected a tool named "${name}" in tools/list, found ${tools.length ? tools.map((t) => `"${t.name}"`).join(', ') : 'no tools'}. Register it with server.registerTool("${name}", …).`,
    );
  }
  return tool;
}

export async function callTool(
  step: StepContext,
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<CallToolResult> {
  if (!client.getServerCapabilities()?.tools) {
    step.fail(`the server has no tools yet, so "${name}" cannot be called. Register it with server.registerTool("${name}", …).`);
  }
  return (await request(
    step,
    `tools/call "${name}" with ${JSON.stringify(args)}`,
    (o) => client.callTool({ name, arguments: args }, CallToolResultSchema, o),
    options,
  )) as CallToolResult;
}

/** All text content of a tool result, joined: what a model would read. */
export function textOf(result: { content?: unknown }): string {
  const content = Array.isArray(result.content) ? result.content : [];
  return content
    .filter((c): c is { type: 'text'; text: string } => c?.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n');
}

/** Summarises a tool result for a failure message. */
export function show(result: unknown): string {
  const json = JSON.stringify(result);
  return json.length > 400 ? `${json.slice(0, 400)}…` : json;
}
