import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CompleteRequest, GetPromptResult, Prompt, PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS } from './connect.js';
import { describeError } from './failure.js';
import type { StepContext } from './step-context.js';
import { request } from './requests.js';

/**
 * Requests about prompts (prompts/list, prompts/get, completion/complete), each with a deadline
 * and a teaching failure when the server has not declared the capability yet.
 */

/** The server's prompts; none at all when it has not declared the prompts capability (no prompt registered yet). */
export async function listPrompts(step: StepContext, client: Client): Promise<Prompt[]> {
  if (!client.getServerCapabilities()?.prompts) return [];
  const { prompts } = await request(step, 'prompts/list', (o) => client.listPrompts({}, o));
  return prompts;
}

/** Finds a prompt by name or fails with the names that are there. */
export async function requirePrompt(step: StepContext, client: Client, name: string): Promise<Prompt> {
  const prompts = await listPrompts(step, client);
  const prompt = prompts.find((p) => p.name === name);
  if (!prompt) {
    step.fail(
      `expected a prompt named "${name}" in prompts/list, found ${prompts.length ? prompts.map((p) => `"${p.name}"`).join(', ') : 'no prompts'}. Register it with server.registerPrompt("${name}", …).`,
    );
  }
  return prompt;
}

/** prompts/get; a rejection fails the check with the server's error. */
export async function getPrompt(step: StepContext, client: Client, name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
  await requirePrompt(step, client, name);
  return request(step, `prompts/get "${name}" with ${JSON.stringify(args)}`, (o) => client.getPrompt({ name, arguments: args }, o));
}

export interface ProtocolError {
  code: number | undefined;
  message: string;
}

/** prompts/get that must be rejected: the JSON-RPC error's code and message; fails when the server answers with a prompt. */
export async function getPromptError(step: StepContext, client: Client, name: string, args: Record<string, string>): Promise<ProtocolError> {
  await requirePrompt(step, client, name);
  let result: GetPromptResult;
  try {
    result = await client.getPrompt({ name, arguments: args }, { timeout: ANSWER_TIMEOUT_MS });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return { code: typeof code === 'number' ? code : undefined, message: error instanceof Error ? error.message : describeError(error) };
  }
  const shown = JSON.stringify(result);
  return step.fail(
    `prompts/get "${name}" with ${JSON.stringify(args)} should be rejected with a JSON-RPC error, but the server answered with a prompt: ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown}`,
  );
}

/** completion/complete: the suggested values. */
export async function complete(
  step: StepContext,
  client: Client,
  params: CompleteRequest['params'],
): Promise<string[]> {
  if (!client.getServerCapabilities()?.completions) {
    step.fail(
      'the server does not declare the `completions` capability, so a client cannot ask for suggestions. ' +
        'It is declared for you as soon as one prompt argument is wrapped in completable(…).',
    );
  }
  const what = `completion/complete for argument "${params.argument.name}" = ${JSON.stringify(params.argument.value)}` +
    (params.context ? ` with context ${JSON.stringify(params.context)}` : '');
  const { completion } = await request(step, what, (o) => client.complete(params, o));
  return completion.values;
}

/** Every message's content as a model reads it: text blocks, and the text of embedded resources. */
export function promptText(messages: PromptMessage[] | GetPromptResult): string {
  const list = Array.isArray(messages) ? messages : messages.messages;
  return list.map((m) => contentText(m.content)).join('\n');
}

function contentText(content: PromptMessage['content']): string {
  if (content.type === 'text') return content.text;
  if (content.type === 'resource' && 'text' in content.resource && typeof content.resource.text === 'string') return content.resource.text;
  return '';
}

/** A short summary of a prompt's messages for failure messages: role and content type of each. */
export function showMessages(result: GetPromptResult): string {
  return result.messages.map((m) => `${m.role}:${m.content.type}`).join(', ') || 'no messages';
}
