import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { REQUIREMENT_ID } from '../../common/requirement-ids.js';
import { parseRequirements, type Requirement } from '../../course/requirements.js';

/**
 * The machine-readable parts of a learner's SPEC.md (docs/SPEC-FORMAT.md): YAML front matter
 * (how to start the server), `mcp-surface` blocks (what the server lists, with schema shapes) and
 * `mcp-example` blocks (given / when / then as real requests and partial expectations). The
 * requirement bullets are read as every lesson's are (course/requirements.ts). Everything is
 * validated with zod; a mistake is reported as `file:line: what is wrong`, never as a crash.
 */

const ID = new RegExp(`^${REQUIREMENT_ID}$`);
const requirementId = z.string().regex(ID, 'a requirement id like R-CRM-2');

/** The types a property may be given: a JSON Schema type name, `T[]` (an array of T), or a list of values (an enum). */
const TYPE_NAMES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
const typeName = z.string().refine(
  (t) => (TYPE_NAMES as readonly string[]).includes(t.replace(/\[\]$/, '')),
  { message: `a type: ${TYPE_NAMES.join(', ')}, or one of them followed by [] (an array of it), or a list of values (an enum)` },
);
export const PropertyType = z.union([typeName, z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)]);
export type PropertyType = z.infer<typeof PropertyType>;

/** `{ name: string, "company?": string, stage: [lead, won] }`: a trailing `?` marks an optional property. */
const Shape = z.record(z.string().regex(/^[^?]+\??$/, 'a property name, with a trailing ? when optional'), PropertyType);
export type Shape = z.infer<typeof Shape>;

const SurfaceTool = z.strictObject({
  name: z.string().min(1),
  requirement: requirementId.optional(),
  input: Shape.default({}),
  output: Shape.optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});
const SurfaceResource = z.strictObject({ uri: z.string().min(1), requirement: requirementId.optional(), mimeType: z.string().optional() });
const SurfaceTemplate = z.strictObject({ uriTemplate: z.string().min(1), requirement: requirementId.optional(), mimeType: z.string().optional() });
const SurfacePrompt = z.strictObject({
  name: z.string().min(1),
  requirement: requirementId.optional(),
  /** Argument names; a trailing `?` marks an optional one. */
  arguments: z.array(z.string().regex(/^[^?]+\??$/)).default([]),
});

export const SurfaceBlock = z.strictObject({
  requirement: requirementId.optional(),
  tools: z.array(SurfaceTool).default([]),
  resources: z.array(SurfaceResource).default([]),
  resourceTemplates: z.array(SurfaceTemplate).default([]),
  prompts: z.array(SurfacePrompt).default([]),
});

/** What a step of an example expects of its answer; every field is optional and partial. */
export const Expectation = z.strictObject({
  /** A subset of the whole `result`. */
  result: z.unknown().optional(),
  /** tools/call: `true` for a tool error; `false` also accepts a result without the field. */
  isError: z.boolean().optional(),
  /** tools/call: a subset of `structuredContent`. */
  structuredContent: z.unknown().optional(),
  /** The first text content (a tool's `content`, a resource's `contents`), parsed as JSON: a subset of it. */
  json: z.unknown().optional(),
  /** Strings every one of which appears in the answer's text (tool content, resource contents, prompt messages). */
  textIncludes: z.array(z.string()).optional(),
  /** Strings none of which appears in the answer's text. */
  textExcludes: z.array(z.string()).optional(),
  /** A JSON-RPC error instead of a result: its code and/or a part of its message. */
  error: z.strictObject({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
});
export type Expectation = z.infer<typeof Expectation>;

/** One request: a shorthand (call, read, prompt) or any JSON-RPC method with its params. */
const RequestFields = {
  call: z.string().min(1).optional(),
  read: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
};
const oneKind = (s: { call?: string | undefined; read?: string | undefined; prompt?: string | undefined; method?: string | undefined }) =>
  [s.call, s.read, s.prompt, s.method].filter((v) => v !== undefined).length === 1;
const ONE_KIND = { message: 'a step names exactly one of call (a tool), read (a resource URI), prompt (a prompt) or method (any JSON-RPC request)' };

const GivenStep = z.strictObject(RequestFields).refine(oneKind, ONE_KIND);
const CheckedStep = z.strictObject({ ...RequestFields, then: Expectation.default({}) }).refine(oneKind, ONE_KIND);

export const ExampleBlock = z.strictObject({
  requirement: requirementId.optional(),
  /** Words for the check's name; the requirement's text otherwise. */
  title: z.string().min(1).optional(),
  given: z.array(GivenStep).default([]),
  when: z.strictObject(RequestFields).refine(oneKind, ONE_KIND),
  then: Expectation,
  /** Further requests after `when`, each with its expectation ("and the deal is still open"). */
  and: z.array(CheckedStep).default([]),
});

export const FrontMatter = z.strictObject({
  /** The command that starts the server over stdio, run in the spec's folder. */
  server: z.string().min(1).optional(),
  /** Environment for the server; `{scratch}` in a value is a fresh empty folder per server start. */
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  title: z.string().optional(),
});

export interface SpecRequest {
  /** What a message calls it: `tools/call "move_deal" {"id":"D-1"}`. */
  label: string;
  method: string;
  params: Record<string, unknown>;
}

export interface SpecStep extends SpecRequest {
  then: Expectation;
}

export interface SurfaceItem {
  kind: 'tool' | 'resource' | 'resource template' | 'prompt';
  name: string;
  requirement: string;
  line: number;
  tool?: z.infer<typeof SurfaceTool>;
  resource?: z.infer<typeof SurfaceResource>;
  template?: z.infer<typeof SurfaceTemplate>;
  prompt?: z.infer<typeof SurfacePrompt>;
}

export interface SpecExample {
  requirement: string;
  title: string;
  line: number;
  given: SpecRequest[];
  when: SpecStep;
  and: SpecStep[];
}

export interface Spec {
  file: string;
  title?: string;
  server?: string;
  env: Record<string, string>;
  requirements: Requirement[];
  surface: SurfaceItem[];
  examples: SpecExample[];
}

/** Every mistake found in a spec, each as `file:line: what`. */
export class SpecFormatError extends Error {
  override readonly name = 'SpecFormatError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function toRequest(step: z.infer<typeof GivenStep>): SpecRequest {
  if (step.call !== undefined) {
    const args = step.arguments ?? {};
    return { method: 'tools/call', params: { name: step.call, arguments: args }, label: `tools/call "${step.call}" ${JSON.stringify(args)}` };
  }
  if (step.read !== undefined) return { method: 'resources/read', params: { uri: step.read }, label: `resources/read ${step.read}` };
  if (step.prompt !== undefined) {
    const args = step.arguments ?? {};
    return { method: 'prompts/get', params: { name: step.prompt, arguments: args }, label: `prompts/get "${step.prompt}" ${JSON.stringify(args)}` };
  }
  const params = step.params ?? {};
  return { method: step.method!, params, label: `${step.method} ${JSON.stringify(params)}` };
}

interface Block {
  lang: 'mcp-surface' | 'mcp-example';
  /** 1-based line of the first line inside the fence. */
  line: number;
  text: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*$/;

/** The fenced blocks of a Markdown text whose info string is mcp-surface or mcp-example; other fences are skipped whole. */
function blocksOf(lines: readonly string[], problems: string[], file: string): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const lang = open[3]!;
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.trim().startsWith(fence) && lines[end]!.trim().replace(/[`~]/g, '') === '')) end++;
    if (end >= lines.length && lang.startsWith('mcp-')) problems.push(`${file}:${i + 1}: the \`${lang}\` block is never closed (no ${fence} line after it)`);
    if (lang === 'mcp-surface' || lang === 'mcp-example') blocks.push({ lang, line: i + 2, text: lines.slice(i + 1, end).join('\n') });
    else if (lang.startsWith('mcp-')) problems.push(`${file}:${i + 1}: unknown block \`${lang}\`: the runner reads \`mcp-surface\` and \`mcp-example\``);
    i = end;
  }
  return blocks;
}

/**
 * The line (1-based, in the whole file) of what `path` names: the key's own line for a key of a
 * map (`when:`, not the first line under it), the item's for a list item; for a key that is not
 * there, the line of its nearest parent that is.
 */
function lineOf(doc: Document, counter: LineCounter, block: Block, path: readonly PropertyKey[]): number {
  const at = (range: readonly number[] | null | undefined) => (range ? block.line + counter.linePos(range[0]!).line - 1 : undefined);
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
      const line = at(isNode(pair?.key) ? pair.key.range : undefined);
      if (line) return line;
    } else if (isSeq(parent) && typeof last === 'number') {
      const item = parent.items[last];
      const line = at(isNode(item) ? item.range : undefined);
      if (line) return line;
    }
  }
  return at(isNode(doc.contents) ? doc.contents.range : undefined) ?? block.line;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(the block)';
}

function parseBlock<S extends z.ZodType>(block: Block, schema: S, file: string, problems: string[]): z.infer<S> | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(block.text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      problems.push(`${file}:${block.line + pos.line - 1}: \`${block.lang}\` is not valid YAML: ${e.message.split('\n')[0]}`);
    }
    return undefined;
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data as z.infer<S>;
  for (const issue of parsed.error.issues) {
    const unknown = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    // An unknown key is pointed at itself, not at the object that holds it.
    const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
    problems.push(`${file}:${lineOf(doc, counter, block, at)}: \`${block.lang}\` ${pathText(issue.path)}: ${issue.message}${unknown}`);
  }
  return undefined;
}

/** The requirement a block belongs to: its own `requirement:`, else the last requirement bullet above it. */
function owner(explicit: string | undefined, line: number, requirements: readonly Requirement[], file: string, problems: string[], what: string): string | undefined {
  if (explicit) {
    if (!requirements.some((r) => r.id === explicit)) problems.push(`${file}:${line}: ${what} names ${explicit}, which no requirement bullet (- **${explicit}** …) defines`);
    return explicit;
  }
  const above = requirements.filter((r) => Number(r.where.split(':').pop()) < line).pop();
  if (!above) problems.push(`${file}:${line}: ${what} belongs to no requirement: put it under a requirement bullet (- **R-AREA-1** …) or give it \`requirement: R-AREA-1\``);
  return above?.id;
}

/** Parses a spec's text; throws SpecFormatError listing every problem found. */
export function parseSpec(markdown: string, file: string): Spec {
  const problems: string[] = [];
  const lines = markdown.split('\n');
  let front: z.infer<typeof FrontMatter> = { env: {} };
  let bodyStart = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end < 0) problems.push(`${file}:1: the front matter (--- …) is never closed by a --- line`);
    else {
      const block: Block = { lang: 'mcp-surface', line: 2, text: lines.slice(1, end).join('\n') };
      const parsed = parseBlock(block, FrontMatter, file, problems);
      if (parsed) front = parsed;
      for (let i = 0; i < problems.length; i++) problems[i] = problems[i]!.replace('`mcp-surface`', 'front matter');
      bodyStart = end + 1;
    }
  }
  const requirements = parseRequirements(markdown, file);
  const seen = new Map<string, string>();
  for (const r of requirements) {
    if (seen.has(r.id)) problems.push(`${r.where}: requirement ${r.id} is defined twice (first at ${seen.get(r.id)})`);
    else seen.set(r.id, r.where);
  }
  if (requirements.length === 0) problems.push(`${file}:1: no requirement bullets: write each requirement as "- **R-AREA-1** the rule…"`);
  const surface: SurfaceItem[] = [];
  const examples: SpecExample[] = [];
  const blocks = blocksOf(lines.map((l, i) => (i < bodyStart ? '' : l)), problems, file);
  for (const block of blocks) {
    const at = block.line - 1; // the fence's own line, for messages about the block as a whole
    if (block.lang === 'mcp-surface') {
      const parsed = parseBlock(block, SurfaceBlock, file, problems);
      if (!parsed) continue;
      const blockOwner = owner(parsed.requirement, at, requirements, file, problems, 'this `mcp-surface` block');
      const add = (kind: SurfaceItem['kind'], name: string, requirement: string | undefined, extra: Partial<SurfaceItem>) => {
        const id = requirement ? owner(requirement, at, requirements, file, problems, `the ${kind} ${name}`) : blockOwner;
        if (id) surface.push({ kind, name, requirement: id, line: at, ...extra });
      };
      for (const tool of parsed.tools) add('tool', tool.name, tool.requirement, { tool });
      for (const resource of parsed.resources) add('resource', resource.uri, resource.requirement, { resource });
      for (const template of parsed.resourceTemplates) add('resource template', template.uriTemplate, template.requirement, { template });
      for (const prompt of parsed.prompts) add('prompt', prompt.name, prompt.requirement, { prompt });
    } else {
      const parsed = parseBlock(block, ExampleBlock, file, problems);
      if (!parsed) continue;
      const id = owner(parsed.requirement, at, requirements, file, problems, 'this `mcp-example` block');
      if (!id) continue;
      const requirement = requirements.find((r) => r.id === id);
      examples.push({
        requirement: id,
        title: parsed.title ?? shortText(requirement?.text ?? ''),
        line: at,
        given: parsed.given.map(toRequest),
        when: { ...toRequest(parsed.when), then: parsed.then },
        and: parsed.and.map((s) => ({ ...toRequest(s), then: s.then })),
      });
    }
  }
  if (problems.length) throw new SpecFormatError(problems);
  return { file, title: front.title, server: front.server, env: front.env, requirements, surface, examples };
}

export function readSpec(path: string, shown = path): Spec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecFormatError([`${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  return parseSpec(text, shown);
}

/** A requirement's text, cut for a check's name: its first sentence (or first line), without Markdown emphasis. */
function shortText(text: string): string {
  const plain = text.replace(/\*|`/g, '');
  const sentence = /^(.*?)[.;:](\s|$)/.exec(plain)?.[1] ?? `${plain}…`;
  return sentence.length > 90 ? `${sentence.slice(0, 89)}…` : sentence;
}
