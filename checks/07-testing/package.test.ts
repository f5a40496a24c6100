import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, cleanupAfterCheck, connectHttp, request, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { binsOf, disposeBuilds, envWithThisNode, installTarball, manifest, NPM, pack, run, stagedBuild } from '../harness/package.js';
import { apiKeysFile, freePort, ServerProcess } from './server-process.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const BUILD_MS = 180_000;
afterAll(() => disposeBuilds());

async function built(step: StepContext) {
  const staged = await stagedBuild(lesson.target, meta.slug);
  if (staged.build.code !== 0) {
    step.fail(`\`npm run build\` failed (exit ${staged.build.code}):\n    ${staged.build.output.trim().split('\n').slice(-12).join('\n    ')}`);
  }
  return staged;
}

/** A Client over stdio to a command exactly as given, from a folder that is not the lesson's. */
async function connectCommand(step: StepContext, how: string, command: string, args: string[], env: Record<string, string>) {
  const transport = new StdioClientTransport({ command, args, env: { ...getDefaultEnvironment(), ...env }, cwd: tmpdir(), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'course-check', version: '1.0.0' });
  cleanupAfterCheck(() => client.close());
  try {
    await client.connect(transport, { timeout: ANSWER_TIMEOUT_MS });
  } catch (error) {
    step.fail(`${how} did not complete the MCP handshake (${error instanceof Error ? error.message : String(error)}).${stderr ? `\n  stderr:\n    ${stderr.trim().split('\n').slice(-8).join('\n    ')}` : ''}`);
  }
  return client;
}

async function expectTools(step: StepContext, client: Client, how: string) {
  const { tools } = await request(step, `tools/list (${how})`, (o) => client.listTools({}, o));
  step.expect(tools.map((t) => t.name), `${how}: tools/list should list the Taskboard tools`).toEqual(expect.arrayContaining(['create_task', 'list_tasks']));
}

const SHIPPABLE = /^(package\.json|README(\.[a-z]+)?|LICEN[CS]E(\.[a-z]+)?|CHANGELOG(\.[a-z]+)?|dist\/.+)$/i;

describe(stepTitle(meta, 8), () => {
  const step: StepContext = lesson.step(8);

  test('R8.1: npm run build writes the bin, with a shebang; the package declares bin, files and engines; npm pack ships dist/ only', { timeout: BUILD_MS }, async () => {
    const staged = await built(step);
    const pkg = manifest(staged.dir);
    const bins = binsOf(pkg);
    step.expect(Object.keys(bins).length, 'package.json needs a "bin": { "taskboard-mcp": "dist/taskboard-mcp.js" }: the command a client runs').toBeGreaterThan(0);
    step.expect(Array.isArray(pkg.files), 'package.json needs "files": the list of what the package ships (["dist"])').toBe(true);
    step.expect(typeof pkg.engines?.node === 'string' && pkg.engines.node.trim() !== '', 'package.json needs "engines": { "node": ">=22.19" }: which Node the server needs').toBe(true);
    const { files, pack: packed } = await pack(staged.dir);
    step.expect(packed.code, `npm pack failed:\n${packed.output.slice(-1500)}`).toBe(0);
    for (const [name, file] of Object.entries(bins)) {
      const path = file.replace(/^\.\//, '');
      step.expect(files, `the bin "${name}" (${file}) must be in the package (npm pack lists: ${files.join(', ')}); did the build write it?`).toContain(path);
      const first = readFileSync(join(staged.dir, path), 'utf8').split('\n')[0];
      step.expect(first, `the bin file ${path} must start with a shebang, #!/usr/bin/env node, so it runs as a command`).toMatch(/^#!\/usr\/bin\/env node\b/);
    }
    step.expect(files.filter((f) => !SHIPPABLE.test(f)), 'the package should ship dist/ (plus package.json and README) and nothing else: no src/, test/, scripts/ or secrets').toEqual([]);
  });

  test('R8.2: the packed tarball, installed offline, starts as its bin over stdio and answers a tool call', { timeout: BUILD_MS }, async () => {
    const staged = await built(step);
    const pkg = manifest(staged.dir);
    const packed = await pack(staged.dir);
    step.expect(packed.pack.code, `npm pack failed:\n${packed.pack.output.slice(-1500)}`).toBe(0);
    const installed = await installTarball(packed.tarball, pkg);
    const [name, bin] = Object.entries(installed.bins)[0] ?? [];
    if (!name || !bin) step.fail(`the installed package has no bin to run (package.json "bin": ${JSON.stringify(pkg.bin)}; the tarball holds ${packed.files.join(', ')}).`);
    const client = await connectCommand(step, `the installed bin \`${name}\``, bin, [], { PATH: envWithThisNode().PATH!, TASKBOARD_LOG_LEVEL: 'warning' });
    await expectTools(step, client, `the installed ${name}`);
    const result = await request(step, 'tools/call list_tasks', (o) => client.callTool({ name: 'list_tasks', arguments: { project: 'WEB' } }, undefined, o));
    step.expect(result.isError, `list_tasks on the installed server should work: ${show(result)}`).toBeFalsy();
    step.expect(JSON.stringify(result.content), 'list_tasks for WEB on the demo board names WEB-1').toContain('WEB-1');
  });
});

const CLIENTS = ['claude', 'vscode', 'cursor'] as const;
type ClientName = (typeof CLIENTS)[number];

interface Entry {
  type?: unknown;
  command?: unknown;
  args?: unknown;
  env?: unknown;
  url?: unknown;
  headers?: unknown;
  /** VS Code's top-level "inputs" (the values it prompts for), kept with the entry. */
  inputs?: unknown;
}

/** The one server entry of a client's config, checked against that client's documented top-level key. */
function entryOf(step: StepContext, client: ClientName, text: string, flags: string): Entry {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    step.fail(`\`npm run client-config -- ${client}${flags}\` should print one JSON document on stdout; it printed:\n    ${text.trim().slice(0, 600)}`);
  }
  const key = client === 'vscode' ? 'servers' : 'mcpServers';
  const servers = (config as Record<string, unknown> | null)?.[key];
  if (!servers || typeof servers !== 'object') step.fail(`${client}'s config has its servers under "${key}"; got ${JSON.stringify(config).slice(0, 300)}`);
  const entries = Object.values(servers as Record<string, Entry>);
  step.expect(entries.length, `${client}: "${key}" should hold the taskboard server`).toBeGreaterThan(0);
  return { ...entries[0]!, inputs: (config as { inputs?: unknown }).inputs };
}

function stdioShape(step: StepContext, client: ClientName, entry: Entry): { command: string; args: string[]; env: Record<string, string> } {
  if (client === 'vscode') step.expect(entry.type, 'VS Code: a stdio server entry has "type": "stdio"').toBe('stdio');
  step.expect(typeof entry.command, `${client}: a stdio entry has a "command" (a string)`).toBe('string');
  const args = entry.args ?? [];
  step.expect(Array.isArray(args) && args.every((a) => typeof a === 'string'), `${client}: "args" is a list of strings`).toBe(true);
  const env = entry.env ?? {};
  step.expect(typeof env === 'object' && Object.values(env as object).every((v) => typeof v === 'string'), `${client}: "env" maps names to strings`).toBe(true);
  step.expect(isAbsolute(entry.command as string), `${client}: "command" should be an absolute path (a desktop app does not see your shell's PATH), got "${String(entry.command)}"`).toBe(true);
  return { command: entry.command as string, args: args as string[], env: env as Record<string, string> };
}

/**
 * The URL an HTTP entry points at, and the Authorization header the client would send with it
 * once the user has given it `key` the way that client's entry asks for it (lesson 06: the
 * server needs a bearer credential; the key itself never belongs in the file).
 */
function httpEntry(step: StepContext, client: ClientName, entry: Entry, key: string): { url: string; authorization: string } {
  if (client === 'vscode' || client === 'cursor') {
    const name = client === 'vscode' ? 'VS Code' : 'Cursor';
    if (client === 'vscode') step.expect(entry.type, 'VS Code: an HTTP server entry has "type": "http"').toBe('http');
    step.expect(typeof entry.url, `${name}: an HTTP entry has a "url"`).toBe('string');
    const template = (entry.headers as Record<string, unknown> | undefined)?.Authorization;
    const hint =
      client === 'vscode'
        ? '"headers": { "Authorization": "Bearer ${input:taskboard-api-key}" }, with that id declared in the top-level "inputs" as a promptString with "password": true'
        : '"headers": { "Authorization": "Bearer ${env:TASKBOARD_API_KEY}" }';
    step.expect(typeof template, `${name}: the server needs an API key (lesson 06): the HTTP entry should send it, with ${hint}; got ${JSON.stringify(entry).slice(0, 300)}`).toBe('string');
    let authorization: string;
    if (client === 'vscode') {
      const id = /\$\{input:([^}]+)\}/.exec(template as string)?.[1];
      step.expect(id, `VS Code: the Authorization header should take the key from an input, \${input:ID}, not hold it; got "${String(template)}"`).toBeDefined();
      const inputs = Array.isArray(entry.inputs) ? (entry.inputs as Array<Record<string, unknown>>) : [];
      const input = inputs.find((i) => i.id === id);
      step.expect(input, `VS Code: the input "${id}" should be declared in the top-level "inputs" (got ${JSON.stringify(entry.inputs ?? null).slice(0, 200)})`).toBeDefined();
      step.expect(input?.password, `VS Code: the input "${id}" holds a secret: give it "password": true so VS Code hides what is typed`).toBe(true);
      authorization = (template as string).replaceAll(`\${input:${id}}`, key);
    } else {
      const variable = /\$\{env:([^}]+)\}/.exec(template as string)?.[1];
      step.expect(variable, `Cursor: the Authorization header should take the key from the environment, \${env:NAME}, not hold it; got "${String(template)}"`).toBeDefined();
      authorization = (template as string).replaceAll(`\${env:${variable}}`, key);
    }
    step.expect(authorization, `${name}: once the key is filled in, the header should be "Bearer <key>"`).toBe(`Bearer ${key}`);
    return { url: entry.url as string, authorization };
  }
  // Claude Desktop's file starts processes; a remote server goes through the mcp-remote bridge.
  const args = Array.isArray(entry.args) ? (entry.args as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  step.expect(args.some((a) => a.includes('mcp-remote')), 'Claude Desktop: an HTTP server goes through the mcp-remote bridge ("command": "npx", "args": ["-y", "mcp-remote", URL])').toBe(true);
  const url = step.require(
    args.find((a) => /^https?:\/\//.test(a)),
    'Claude Desktop: the mcp-remote args should include the server URL',
  );
  const header = args[args.indexOf('--header') + 1];
  step.expect(args.includes('--header') && /^Authorization:/i.test(header ?? ''), `Claude Desktop: the server needs an API key (lesson 06): give mcp-remote "--header", "Authorization:\${TASKBOARD_AUTH_HEADER}" with TASKBOARD_AUTH_HEADER in "env"; got args ${JSON.stringify(args)}`).toBe(true);
  const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(header!)?.[1];
  step.expect(variable, `Claude Desktop: the header should take the key from a variable in "env" (\${NAME}), not hold it; got "${header}"`).toBeDefined();
  const env = (entry.env ?? {}) as Record<string, unknown>;
  step.expect(typeof env[variable!], `Claude Desktop: "env" should hold ${variable} (for the user to fill in), got ${JSON.stringify(entry.env ?? null)}`).toBe('string');
  return { url, authorization: `Bearer ${key}` };
}

async function clientConfig(step: StepContext, dir: string, client: ClientName, flags: string[], env: Record<string, string> = {}) {
  const out = await run(NPM, ['run', '--silent', 'client-config', '--', client, ...flags], dir, envWithThisNode(env));
  step.expect(out.code, `\`npm run client-config -- ${client} ${flags.join(' ')}\` should exit 0; it printed:\n    ${out.output.trim().slice(-800)}`).toBe(0);
  return entryOf(step, client, out.stdout, flags.length ? ` ${flags.join(' ')}` : '');
}

describe(stepTitle(meta, 9), () => {
  const step: StepContext = lesson.step(9);

  test('R9.1: client-config prints each client\'s stdio entry, and the server starts exactly as it says', { timeout: BUILD_MS }, async () => {
    const staged = await built(step);
    for (const client of CLIENTS) {
      const entry = stdioShape(step, client, await clientConfig(step, staged.dir, client, []));
      const connected = await connectCommand(step, `the ${client} config (${[entry.command, ...entry.args].join(' ')})`, entry.command, entry.args, entry.env);
      await expectTools(step, connected, `${client}'s stdio entry`);
      await connected.close();
    }
  });

  test('R9.2: with --http, each client\'s entry points at TASKBOARD_HOST:TASKBOARD_PORT and sends the API key it is given, and the server answers', { timeout: BUILD_MS }, async () => {
    const staged = await built(step);
    const port = String(await freePort());
    const env = { TASKBOARD_HOST: '127.0.0.1', TASKBOARD_PORT: port };
    // Lesson 06: the HTTP server checks its callers; this key is what the user would give each client.
    const keys = apiKeysFile();
    const entries: Array<[ClientName, { url: string; authorization: string }]> = [];
    for (const client of CLIENTS) entries.push([client, httpEntry(step, client, await clientConfig(step, staged.dir, client, ['--http'], env), keys.key)]);
    // The config says where the server is, not how it was started: start the built bin as a deployment would.
    const bin = Object.values(binsOf(manifest(staged.dir)))[0] ?? 'dist/taskboard-mcp.js';
    const server = ServerProcess.start(step, { command: process.execPath, args: [join(staged.dir, bin)], cwd: staged.dir }, { ...env, TASKBOARD_TRANSPORT: 'http', TASKBOARD_LOG_LEVEL: 'info', TASKBOARD_API_KEYS_FILE: keys.file });
    await server.stderrLine('the "listening" log line', (l) => /listening/i.test(l));
    for (const [client, { url, authorization }] of entries) {
      step.expect(new URL(url).port, `${client}: the URL should use TASKBOARD_PORT (${port}), got ${url}`).toBe(port);
      const { client: connected } = await connectHttp(step, url, { transport: { requestInit: { headers: { Authorization: authorization } } } });
      await expectTools(step, connected, `${client}'s HTTP entry (${url})`);
      await connected.close();
    }
  });
});
