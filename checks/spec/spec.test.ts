/**
 * The generic checks of a learner's own SPEC.md (docs/SPEC-FORMAT.md), run by `npm run spec --
 * PATH/TO/SPEC.md`: every tool, resource, resource template and prompt the spec's `mcp-surface`
 * blocks name is listed with the schema they state, and every `mcp-example` runs as a check named
 * after its requirement, against the server the spec's front matter (or --server) starts over
 * stdio. Without COURSE_SPEC this file defines no checks (it is not part of any lesson's run).
 */
import { dirname, resolve } from 'node:path';
import { McpError, type Prompt, type Resource, type ResourceTemplate, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, ResultSchema, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, test } from 'vitest';
import { CHECK_TIMEOUT, limitOrDefault } from '../../common/limits.js';
import { displayPath } from '../../common/paths.js';
import { CheckFailure, describeError, waitingFor } from '../harness/failure.js';
import { cleanupAfterCheck } from '../harness/teardown.js';
import { ANSWER_TIMEOUT_MS } from '../harness/settings.js';
import { readSpec, SpecFormatError, type Expectation, type PropertyType, type Shape, type Spec, type SpecRequest, type SurfaceItem } from './format.js';
import { mismatch, show } from './match.js';
import { SPEC_CWD_ENV, SPEC_ENV, SPEC_SERVER_ENV } from './env.js';
import { SpecPlace, startServer, type RunningServer, type ServerSetup } from './server.js';

const specPath = process.env[SPEC_ENV];

if (!specPath) {
  test.skip('no spec given: run `npm run spec -- PATH/TO/SPEC.md`', () => undefined);
} else {
  const shown = displayPath(resolve(specPath));
  let spec: Spec | undefined;
  let formatError: string | undefined;
  try {
    spec = readSpec(resolve(specPath), shown);
  } catch (error) {
    formatError = error instanceof SpecFormatError ? error.message : describeError(error);
  }
  if (!spec) {
    // The runner reports format errors before starting vitest (exit 2); this is for a direct run.
    test(`spec format: ${shown}`, () => {
      throw new SpecFormatError([formatError ?? 'unreadable']);
    });
  } else {
    defineChecks(spec);
  }
}

function serverSetup(spec: Spec, place: SpecPlace): ServerSetup {
  const override = process.env[SPEC_SERVER_ENV];
  if (override) return { command: override, cwd: process.env[SPEC_CWD_ENV] ?? process.cwd(), env: spec.env };
  if (!spec.server) {
    place.fail('the spec names no server to start: add `server: node --import tsx src/main.ts` to its front matter (--- … --- at the top), or pass --server "command args".');
  }
  return { command: spec.server, cwd: dirname(resolve(process.env[SPEC_ENV]!)), env: spec.env };
}

function defineChecks(spec: Spec): void {
  // The listings are read once, from one server, for every surface check (listing changes nothing).
  let listing: Promise<Listing> | undefined;
  let shared: RunningServer | undefined;
  afterAll(async () => shared?.stop());
  const list = (place: SpecPlace) =>
    (listing ??= (async () => {
      shared = await startServer(serverSetup(spec, place), place);
      return readListing(shared.client, place);
    })());

  describe('what the server lists (mcp-surface)', () => {
    for (const item of spec.surface) {
      const place = new SpecPlace(spec.file, item.line, item.requirement);
      test(`${item.requirement}: ${item.kind} ${item.name} is listed as the spec states (line ${item.line})`, async () => {
        // One start for every surface check: when it fails, each of them reports that failure,
        // at its own place in the spec.
        const listed = await list(place).catch((error: unknown) =>
          place.fail(error instanceof CheckFailure ? error.message.replace(/^\S+:\d+ \([^)]*\): /, '') : describeError(error)),
        );
        checkSurface(item, listed, place);
      }, budget(5));
    }
  });

  describe('examples (mcp-example)', () => {
    for (const example of spec.examples) {
      const place = new SpecPlace(spec.file, example.line, example.requirement);
      test(`${example.requirement}: ${example.title} (line ${example.line})`, async () => {
        const server = await startServer(serverSetup(spec, place), place);
        cleanupAfterCheck(() => server.stop());
        // A real client lists the tools before calling them; the SDK's Client then checks every
        // structuredContent against its tool's outputSchema (it only knows them from tools/list).
        if (server.client.getServerCapabilities()?.tools) {
          await send(server, { method: 'tools/list', params: {}, label: 'tools/list' }, place, 'listing the tools');
        }
        for (const [i, step] of example.given.entries()) {
          const answer = await send(server, step, place, `given step ${i + 1}`);
          if (answer.error) place.fail(`given step ${i + 1}, ${step.label}, answered the protocol error ${answer.error.code} "${answer.error.message}"; a given step must succeed.${stderrOf(server)}`);
          if ((answer.result as { isError?: unknown }).isError === true) {
            place.fail(`given step ${i + 1}, ${step.label}, answered a tool error: ${show(answer.result)}; a given step must succeed.`);
          }
        }
        await expectAnswer(server, example.when, example.when.then, place, 'when');
        for (const [i, step] of example.and.entries()) await expectAnswer(server, step, step.then, place, `and step ${i + 1}`);
      }, budget(example.given.length + example.and.length + 2));
    }
  });
}

/**
 * vitest's limit for a check of `waits` answers in a row (the start counts as one): each has the
 * harness's answer deadline, so a server that never answers fails with the harness's message
 * (which request, what the server wrote), never with vitest's bare "timed out".
 */
function budget(waits: number): number {
  return Math.max(limitOrDefault(CHECK_TIMEOUT), waits * (ANSWER_TIMEOUT_MS + 1_000) + 5_000);
}

interface Answer {
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/**
 * Sends one request under the answer deadline. tools/call goes through the SDK's callTool, which
 * also checks `structuredContent` against the tool's outputSchema, as every real client does.
 */
async function send(server: RunningServer, step: SpecRequest, place: SpecPlace, what: string): Promise<Answer> {
  const options = { timeout: ANSWER_TIMEOUT_MS };
  try {
    const result =
      step.method === 'tools/call'
        ? await waitingFor(`the answer to ${step.label}`, server.client.callTool(step.params as { name: string; arguments?: Record<string, unknown> }, CallToolResultSchema, options))
        : step.method === 'tools/list'
          ? await waitingFor(`the answer to ${step.label}`, server.client.listTools(step.params, options))
          : await waitingFor(`the answer to ${step.label}`, server.client.request({ method: step.method, params: step.params } as never, ResultSchema, options));
    return { result: result as Record<string, unknown> };
  } catch (error) {
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      place.fail(`${what}, ${step.label}: no answer within ${ANSWER_TIMEOUT_MS / 1000} s (COURSE_ANSWER_TIMEOUT_MS). Look for a handler that never returns.${stderrOf(server)}`);
    }
    // The SDK's Client, not the server, refuses structuredContent that breaks the tool's own outputSchema.
    if (error instanceof McpError && /Structured content does not match|has an output schema but did not return structured content/.test(error.message)) {
      place.fail(`${what}, ${step.label}: the answer breaks the tool's own outputSchema, so a client refuses it: ${error.message}`);
    }
    if (error instanceof McpError) return { error: { code: error.code, message: error.message } };
    return place.fail(`${what}, ${step.label}, failed: ${describeError(error)}${stderrOf(server)}`);
  }
}

async function expectAnswer(server: RunningServer, step: SpecRequest, then: Expectation, place: SpecPlace, what: string): Promise<void> {
  const answer = await send(server, step, place, what);
  const problem = judge(answer, then);
  if (problem) place.fail(`${what}, ${step.label}: ${problem}`);
}

/** The first way the answer differs from what the spec expects, or undefined. */
export function judge(answer: Answer, then: Expectation): string | undefined {
  if (then.error) {
    if (!answer.error) return `expected a protocol error${then.error.code !== undefined ? ` ${then.error.code}` : ''}, but got a result: ${show(answer.result)}`;
    if (then.error.code !== undefined && answer.error.code !== then.error.code) return `expected the protocol error ${then.error.code}, got ${answer.error.code} "${answer.error.message}"`;
    if (then.error.message !== undefined && !answer.error.message.includes(then.error.message)) return `expected the error message to contain ${show(then.error.message)}, got ${show(answer.error.message)}`;
    return undefined;
  }
  if (answer.error) return `expected a result, got the protocol error ${answer.error.code} "${answer.error.message}"`;
  const result = answer.result ?? {};
  if (then.isError !== undefined && (result.isError === true) !== then.isError) {
    return then.isError ? `expected a tool error (isError: true), got ${show(result)}` : `expected success, got a tool error: ${show(result)}`;
  }
  if (then.result !== undefined) {
    const problem = mismatch(then.result, result, 'result');
    if (problem) return problem;
  }
  if (then.structuredContent !== undefined) {
    const problem = mismatch(then.structuredContent, result.structuredContent, 'structuredContent');
    if (problem) return problem;
  }
  const text = textsOf(result);
  if (then.json !== undefined) {
    if (text.length === 0) return `expected JSON text, but the answer has no text: ${show(result)}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text[0]!);
    } catch {
      return `expected the first text of the answer to be JSON, but it is ${show(text[0])}`;
    }
    const problem = mismatch(then.json, parsed, 'the JSON text');
    if (problem) return problem;
  }
  const all = text.join('\n');
  for (const part of then.textIncludes ?? []) if (!all.includes(part)) return `expected the text of the answer to contain ${show(part)}, but it is ${show(all)}`;
  for (const part of then.textExcludes ?? []) if (all.includes(part)) return `expected the text of the answer not to contain ${show(part)}, but it does: ${show(all)}`;
  return undefined;
}

/** Every `text` string of an answer, in order: tool content, resource contents, prompt messages. */
function textsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) textsOf(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'structuredContent' || key === '_meta') continue;
      if (key === 'text' && typeof v === 'string') found.push(v);
      else textsOf(v, found);
    }
  }
  return found;
}

function stderrOf(server: RunningServer): string {
  const text = server.stderr().trim();
  return text ? `\n  the server's stderr ends:\n${text.split('\n').slice(-8).map((l) => `    | ${l}`).join('\n')}` : '';
}

interface Listing {
  tools: Tool[];
  resources: Resource[];
  templates: ResourceTemplate[];
  prompts: Prompt[];
}

/** Every page of every list the server's capabilities declare; a missing capability lists nothing. */
async function readListing(client: Client, place: SpecPlace): Promise<Listing> {
  const caps = client.getServerCapabilities() ?? {};
  const all = async <T>(what: string, page: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      let answer;
      try {
        answer = await waitingFor(`the answer to ${what}`, page(cursor));
      } catch (error) {
        return place.fail(`${what} failed: ${describeError(error)}`);
      }
      items.push(...answer.items);
      cursor = answer.next;
    } while (cursor);
    return items;
  };
  const options = { timeout: ANSWER_TIMEOUT_MS };
  return {
    tools: caps.tools ? await all('tools/list', async (cursor) => ((r) => ({ items: r.tools, next: r.nextCursor }))(await client.listTools({ cursor }, options))) : [],
    resources: caps.resources ? await all('resources/list', async (cursor) => ((r) => ({ items: r.resources, next: r.nextCursor }))(await client.listResources({ cursor }, options))) : [],
    templates: caps.resources
      ? await all('resources/templates/list', async (cursor) => ((r) => ({ items: r.resourceTemplates, next: r.nextCursor }))(await client.listResourceTemplates({ cursor }, options)))
      : [],
    prompts: caps.prompts ? await all('prompts/list', async (cursor) => ((r) => ({ items: r.prompts, next: r.nextCursor }))(await client.listPrompts({ cursor }, options))) : [],
  };
}

function names(items: readonly { name?: string; uri?: string; uriTemplate?: string }[]): string {
  return items.length ? items.map((i) => `"${i.uriTemplate ?? i.uri ?? i.name}"`).join(', ') : 'none';
}

function checkSurface(item: SurfaceItem, listed: Listing, place: SpecPlace): void {
  if (item.tool) {
    const tool = listed.tools.find((t) => t.name === item.name);
    if (!tool) place.fail(`expected a tool named "${item.name}" in tools/list, found ${names(listed.tools)}.`);
    const problems = [
      ...shapeProblems(item.tool.input, tool.inputSchema, 'inputSchema'),
      ...(item.tool.output ? (tool.outputSchema ? shapeProblems(item.tool.output, tool.outputSchema, 'outputSchema') : ['the spec states an output shape, but the tool has no outputSchema']) : []),
    ];
    if (item.tool.annotations) {
      const problem = mismatch(item.tool.annotations, tool.annotations ?? {}, 'annotations');
      if (problem) problems.push(problem);
    }
    if (problems.length) place.fail(`tool "${item.name}" is listed, but not as the spec states:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  } else if (item.resource) {
    const resource = listed.resources.find((r) => r.uri === item.name);
    if (!resource) place.fail(`expected the resource ${item.name} in resources/list, found ${names(listed.resources)}.`);
    if (item.resource.mimeType && resource.mimeType !== item.resource.mimeType) place.fail(`resource ${item.name} is listed with mimeType ${show(resource.mimeType)}; the spec states ${show(item.resource.mimeType)}.`);
  } else if (item.template) {
    const template = listed.templates.find((t) => t.uriTemplate === item.name);
    if (!template) place.fail(`expected the resource template ${item.name} in resources/templates/list, found ${names(listed.templates)}.`);
    if (item.template.mimeType && template.mimeType !== item.template.mimeType) place.fail(`resource template ${item.name} is listed with mimeType ${show(template.mimeType)}; the spec states ${show(item.template.mimeType)}.`);
  } else if (item.prompt) {
    const prompt = listed.prompts.find((p) => p.name === item.name);
    if (!prompt) place.fail(`expected a prompt named "${item.name}" in prompts/list, found ${names(listed.prompts)}.`);
    const served = prompt.arguments ?? [];
    const problems: string[] = [];
    const stated = item.prompt.arguments.map((a) => ({ name: a.replace(/\?$/, ''), optional: a.endsWith('?') }));
    for (const arg of stated) {
      const found = served.find((s) => s.name === arg.name);
      if (!found) problems.push(`argument "${arg.name}" is not listed`);
      else if (!arg.optional && found.required !== true) problems.push(`argument "${arg.name}" should be required`);
      else if (arg.optional && found.required === true) problems.push(`argument "${arg.name}" is optional in the spec, but the server requires it`);
    }
    for (const s of served) if (s.required && !stated.some((a) => a.name === s.name)) problems.push(`the server requires argument "${s.name}", which the spec does not name (a client following the spec would be refused)`);
    if (problems.length) place.fail(`prompt "${item.name}" is listed, but not as the spec states:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[]; const?: unknown; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/**
 * How a served JSON Schema differs from a spec's shape: each stated property is there, required
 * when the spec requires it and optional when the spec says optional, with the stated type; the
 * server may have more properties, as long as it does not require them.
 */
export function shapeProblems(shape: Shape, schema: JsonSchema, which: string): string[] {
  const problems: string[] = [];
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const stated = new Set<string>();
  for (const [raw, type] of Object.entries(shape)) {
    const optional = raw.endsWith('?');
    const name = optional ? raw.slice(0, -1) : raw;
    stated.add(name);
    const property = properties[name];
    if (!property) {
      problems.push(`${which} has no property "${name}" (it has ${Object.keys(properties).map((p) => `"${p}"`).join(', ') || 'none'})`);
      continue;
    }
    if (!optional && !required.has(name)) problems.push(`${which}: "${name}" should be required`);
    if (optional && required.has(name)) problems.push(`${which}: "${name}" is optional in the spec, but the server requires it`);
    const wrong = typeProblem(type, property);
    if (wrong) problems.push(`${which}: "${name}" ${wrong}`);
  }
  if (which === 'inputSchema') {
    for (const name of required) if (!stated.has(name)) problems.push(`${which} requires "${name}", which the spec does not name (a client following the spec would be refused)`);
  }
  return problems;
}

function servedTypes(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  if (typeof schema.type === 'string') types.add(schema.type);
  if (Array.isArray(schema.type)) for (const t of schema.type) types.add(t);
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) for (const t of servedTypes(member)) types.add(t);
  return types;
}

function servedValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if ('const' in schema) return [schema.const];
  const members = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (members.length === 0) return undefined;
  const values = members.map(servedValues);
  return values.every((v) => v !== undefined) ? values.flat() : undefined;
}

function typeProblem(type: PropertyType, schema: JsonSchema): string | undefined {
  if (Array.isArray(type)) {
    const values = servedValues(schema);
    if (!values) return `should be one of ${show(type)}, but the schema lists no values (${show(schema)})`;
    const missing = type.filter((v) => !values.includes(v));
    return missing.length ? `should accept ${show(missing)}, but its values are ${show(values)}` : undefined;
  }
  if (type.endsWith('[]')) {
    const types = servedTypes(schema);
    if (types.size > 0 && !types.has('array')) return `should be an array, but the schema says ${show(schema.type)}`;
    return schema.items ? typeProblem(type.slice(0, -2), schema.items) : undefined;
  }
  const types = servedTypes(schema);
  // A schema without a type accepts anything: more than the spec asks, which a client never notices.
  if (types.size === 0) return undefined;
  if (types.has(type) || (type === 'integer' && types.has('number'))) return undefined;
  return `should be ${type}, but the schema says ${show(schema.type ?? [...types])}`;
}

