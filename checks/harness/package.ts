import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { COURSE_ROOT } from '../../common/paths.js';
import { SCRATCH_DIR } from '../../common/staging.js';
import type { Target } from '../../common/target.js';

/**
 * A lesson folder that ships as an npm package (lesson 07, the capstone's R-PKG): built and
 * packed in a scratch copy (so the checks never write into the learner's folder), and
 * "installed" from its tarball. Everything here is offline.
 */

export interface Command {
  code: number | null;
  output: string;
}

/** Runs a command to its end, with a deadline; output is stdout then stderr. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, deadlineMs = 120_000): Promise<Command & { stdout: string }> {
  return new Promise((resolve) => {
    // npm is npm.cmd on Windows, which Node only starts through a shell.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message, stdout });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: `${stdout}${stderr}`, stdout });
    });
  });
}

export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Staged {
  /** The scratch copy of the lesson folder. */
  dir: string;
  build: Command;
  dispose(): void;
}

const builds = new Map<string, Promise<Staged>>();

/**
 * The target's lesson folder `slug`, copied into .scratch (with the Taskboard domain beside it,
 * which the bundle takes in), then `npm run build`. One build per folder per check run: the
 * checks of a lesson share it.
 */
export function stagedBuild(target: Target, slug: string): Promise<Staged> {
  const from = join(target.tree, slug);
  let pending = builds.get(from);
  if (!pending) {
    pending = (async () => {
      mkdirSync(SCRATCH_DIR, { recursive: true });
      const root = mkdtempSync(join(SCRATCH_DIR, `${slug}-package-`));
      const dir = join(root, 'lessons', slug);
      const skip = new Set(['node_modules', 'dist', '.git']);
      cpSync(from, dir, { recursive: true, dereference: true, filter: (s) => !skip.has(basename(s)) });
      const taskboard = existsSync(join(target.root, 'taskboard')) ? join(target.root, 'taskboard') : join(COURSE_ROOT, 'taskboard');
      cpSync(taskboard, join(root, 'taskboard'), { recursive: true });
      const build = await run(NPM, ['run', 'build'], dir);
      return { dir, build, dispose: () => rmSync(root, { recursive: true, force: true }) };
    })();
    builds.set(from, pending);
  }
  return pending;
}

export function disposeBuilds(): Promise<void> {
  const all = [...builds.values()];
  builds.clear();
  return Promise.all(all.map(async (p) => (await p).dispose())).then(() => undefined);
}

export interface Manifest {
  name?: string;
  bin?: string | Record<string, string>;
  files?: unknown;
  engines?: { node?: string };
  scripts?: Record<string, string>;
}

export function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The package's bin entries as { command name: path in the package }. */
export function binsOf(pkg: Manifest): Record<string, string> {
  if (typeof pkg.bin === 'string') return { [basename(pkg.name ?? 'bin')]: pkg.bin };
  return pkg.bin ?? {};
}

export interface Packed {
  tarball: string;
  files: string[];
  pack: Command;
}

/** `npm pack --json` in the staged folder: the tarball and the files it holds. */
export async function pack(dir: string): Promise<Packed> {
  const out = mkdtempSync(join(dirname(dirname(dir)), 'pack-'));
  const pack = await run(NPM, ['pack', '--json', '--pack-destination', out], dir);
  let files: string[] = [];
  let tarball = '';
  try {
    const info = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info[0]?.files.map((f) => f.path) ?? [];
    tarball = join(out, info[0]?.filename ?? '');
  } catch {
    // pack failed: its output says why
  }
  return { tarball, files, pack };
}

/**
 * Installs the tarball the way npm does for a package with no install scripts: unpacked into
 * `node_modules/<name>`, each `bin` linked from `node_modules/.bin` and made executable. Its
 * dependencies (the SDK, zod) are not fetched: the folder lives inside the course, so Node finds
 * them in the course's node_modules, offline. (`npm install --offline` would need every
 * dependency's tarball in npm's cache, which a fresh `npm ci` does not promise.)
 */
export async function installTarball(tarball: string, pkg: Manifest): Promise<{ dir: string; bins: Record<string, string>; untar: Command }> {
  const dir = mkdtempSync(join(dirname(tarball), 'install-'));
  const home = join(dir, 'node_modules', pkg.name ?? 'package');
  mkdirSync(home, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', home, '--strip-components=1'], dir);
  const bins: Record<string, string> = {};
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const [name, file] of Object.entries(binsOf(pkg))) {
    const target = join(home, file);
    if (!existsSync(target)) continue;
    chmodSync(target, 0o755);
    const link = join(dir, 'node_modules', '.bin', name);
    symlinkSync(target, link);
    bins[name] = link;
  }
  return { dir, bins, untar };
}

/** This process's environment with its Node first on PATH, so `#!/usr/bin/env node` finds the same Node as the checks. */
export function envWithThisNode(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  return { ...env, PATH: `${dirname(process.execPath)}${process.platform === 'win32' ? ';' : ':'}${env.PATH ?? ''}`, ...extra };
}
