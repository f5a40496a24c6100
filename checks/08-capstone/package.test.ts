import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, cleanupAfterCheck, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { binsOf, disposeBuilds, envWithThisNode, installTarball, manifest, pack, stagedBuild, type Manifest } from '../harness/package.js';
import { ok, scratchDir, tasksOf } from './fixture.js';
import meta from './lesson.js';

/**
 * R-PKG: the capstone as the package a user installs, built, packed and installed the way lesson
 * 07's checks do it (checks/harness/package.ts: a scratch copy, `npm run build`, `npm pack`, the
 * tarball unpacked into node_modules with its bin linked; offline).
 */

const lesson = useLesson(meta);
const BUILD = { timeout: 180_000 };
afterAll(() => disposeBuilds());

/** What a package may ship besides dist/: npm adds package.json, README, LICENSE and CHANGELOG itself. */
const SHIPPABLE = /^(package\.json|README(\.[a-z]+)?|LICEN[CS]E(\.[a-z]+)?|CHANGELOG(\.[a-z]+)?|dist\/.+)$/i;

async function built(step: StepContext) {
  const staged = await stagedBuild(lesson.target, meta.slug);
  if (staged.build.code !== 0) {
    step.fail(`\`npm run build\` in a copy of the lesson folder failed (exit ${staged.build.code}):\n    ${staged.build.output.trim().split('\n').slice(-12).join('\n    ')}`);
  }
  return staged;
}

/** The one bin of the package: its command name and its path inside the package. */
function theBin(step: StepContext, pkg: Manifest): [string, string] {
  const entry = Object.entries(binsOf(pkg))[0];
  if (!entry) step.fail(`package.json needs a "bin": { "taskboard": "dist/taskboard.js" }, the command a client starts; got ${JSON.stringify(pkg.bin)}`);
  return [entry[0], entry[1].replace(/^\.\//, '')];
}

/** An MCP client over stdio to a command, started from `cwd` (not the lesson's folder), the database in `db`. */
async function connectCommand(step: StepContext, how: string, command: string, args: string[], cwd: string, db: string): Promise<Client> {
  const env = { ...getDefaultEnvironment(), PATH: envWithThisNode().PATH!, TASKBOARD_DB: db, TASKBOARD_TRANSPORT: 'stdio' };
  const transport = new StdioClientTransport({ command, args, env, cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'capstone-check', version: '1.0.0' });
  cleanupAfterCheck(() => client.close());
  try {
    await client.connect(transport, { timeout: ANSWER_TIMEOUT_MS });
  } catch (error) {
    step.fail(`${how} did not complete the MCP handshake over stdio (${error instanceof Error ? error.message : String(error)}).${stderr ? `\n  Its stderr:\n    ${stderr.trim().split('\n').slice(-8).join('\n    ')}` : ' It wrote nothing on stderr.'}`);
  }
  return client;
}

describe(stepTitle(meta, 13), () => {
  const step: StepContext = lesson.step(13);

  test('R-PKG-1: npm pack ships package.json and dist/ only, the bin has a shebang, and the built server reports the package\'s version', BUILD, async () => {
    const staged = await built(step);
    const pkg = manifest(staged.dir);
    step.expect(typeof pkg.name === 'string' && pkg.name !== '', 'package.json needs a "name"').toBe(true);
    step.expect(Array.isArray(pkg.files), 'package.json needs "files": the list of what the package ships (["dist"])').toBe(true);
    step.expect(typeof pkg.engines?.node === 'string' && pkg.engines.node.trim() !== '', 'package.json needs "engines": { "node": ">=22.19" }: node:sqlite and the SDK need it').toBe(true);
    const [name, bin] = theBin(step, pkg);
    const { files, pack: packed } = await pack(staged.dir);
    step.expect(packed.code, `npm pack failed:\n${packed.output.slice(-1500)}`).toBe(0);
    step.expect(files, `the bin "${name}" (${bin}) must be in the package (npm pack lists: ${files.join(', ')}); does the build write it there?`).toContain(bin);
    step.expect(files.filter((f) => !SHIPPABLE.test(f)), 'the package ships dist/ (npm adds package.json and the README) and nothing else: no src/, no SPEC.md, no database').toEqual([]);
    const first = readFileSync(join(staged.dir, bin), 'utf8').split('\n')[0];
    step.expect(first, `the bin file ${bin} must start with "#!/usr/bin/env node", so it runs as a command`).toMatch(/^#!\/usr\/bin\/env node\b/);

    const dir = scratchDir();
    const client = await connectCommand(step, `the built ${bin}, run with node`, process.execPath, [join(staged.dir, bin)], dir, join(dir, 'board.db'));
    const version = client.getServerVersion()?.version;
    step.expect(version, `initialize's serverInfo.version should be the package's version, ${JSON.stringify((pkg as { version?: string }).version)} (one number for what is installed and what it reports), got ${JSON.stringify(version)}`).toBe((pkg as { version?: string }).version);
  });

  test('R-PKG-2: the tarball installed offline runs as its bin over stdio from another folder, and keeps its data in TASKBOARD_DB across runs', BUILD, async () => {
    const staged = await built(step);
    const pkg = manifest(staged.dir);
    const [name] = theBin(step, pkg);
    const packed = await pack(staged.dir);
    step.expect(packed.pack.code, `npm pack failed:\n${packed.pack.output.slice(-1500)}`).toBe(0);
    const installed = await installTarball(packed.tarball, pkg);
    step.expect(installed.untar.code, `unpacking the tarball failed: ${installed.untar.output.slice(-500)}`).toBe(0);
    const command = step.require(installed.bins[name], `the installed package has no file for its bin "${name}" (package.json "bin": ${JSON.stringify(pkg.bin)}; the tarball holds ${packed.files.join(', ')})`);

    const dir = scratchDir();
    const db = join(dir, 'board.db');
    const first = await connectCommand(step, `the installed bin \`${name}\``, command, [], dir, db);
    await ok(step, first, 'create_project', { key: 'PKG', name: 'Packaged' });
    const created = await ok(step, first, 'create_task', { project: 'PKG', title: 'Shipped' });
    step.expect(created.task?.id, 'the installed server numbers tasks as the spec says').toBe('PKG-1');
    await step.run('closing the first run (stdin ends)', () => first.close());

    const second = await connectCommand(step, `the installed bin \`${name}\`, started again on the same TASKBOARD_DB`, command, [], dir, db);
    step.expect((await tasksOf(step, second, 'PKG')).map((t) => [t.id, t.title]), `the second run of the installed bin reads what the first wrote to ${db}`).toEqual([['PKG-1', 'Shipped']]);
  });
});
