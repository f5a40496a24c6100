import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { COURSE_ROOT } from './paths.js';

/**
 * Scratch copies of lesson code the checks can run against: a student's plain folder, or the
 * solution with a variant patch applied. Used by the runner (plain-folder targets, `variants`)
 * and by checks and lesson tooling, so it imports nothing but Node.
 *
 * A staged copy lives under `<course>/.scratch/` (git-ignored), *inside* the course root, on
 * purpose: Node resolves a copied `server.ts` up the directory tree, so the course's
 * `package.json` (`"type": "module"`: top-level await works under tsx) and its `node_modules`
 * (the SDK, zod) serve the copy, for in-memory imports and for spawned stdio servers alike.
 * A folder elsewhere on disk has neither, which is why a plain folder is staged first.
 *
 * The layout of a staged root is a checkout's: `lessons/<slug>/…` and `taskboard/`, so
 * `COURSE_TARGET=<root>` works with it unchanged.
 */
export interface Staged {
  /** The scratch checkout: holds `lessons/` and `taskboard/`. */
  readonly root: string;
  /** Removes the scratch copy; safe to call twice. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Where staged copies go; git-ignored. */
export const SCRATCH_DIR = join(COURSE_ROOT, '.scratch');

/** A staging failure a caller can show as is (one clear sentence; no stack needed). */
export class StagingError extends Error {
  override name = 'StagingError';
}

/** Never copied: a student's own dependencies or history would shadow or bloat the course's. */
const SKIPPED = new Set(['node_modules', '.git', '.course', '.scratch', 'dist']);

function copyTree(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    // Links are copied as the files they point to, so deleting the copy can never reach the source.
    dereference: true,
    filter: (source) => !SKIPPED.has(basename(source)),
  });
}

function makeScratch(label: string): Staged {
  mkdirSync(SCRATCH_DIR, { recursive: true });
  const safe = label.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60) || 'stage';
  const root = mkdtempSync(join(SCRATCH_DIR, `${safe}-`));
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    rmSync(root, { recursive: true, force: true });
  };
  return { root, dispose, [Symbol.dispose]: dispose };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The lesson folders (`NN-slug`) a `lessons/` or `solutions/` tree holds. */
export function lessonFolders(tree: string): string[] {
  if (!isDir(tree)) return [];
  return readdirSync(tree)
    .filter((name) => /^\d\d-/.test(name) && isDir(join(tree, name)))
    .sort();
}

export interface StageCheckoutOptions {
  /** The lesson folders to copy (`02-first-server`); all of them when absent. */
  slugs?: readonly string[];
  /** A label for the scratch folder's name (debugging aid). */
  label?: string;
}

/**
 * Copies a checkout's `lessons/<slug>` folders and its `taskboard/` into a fresh scratch
 * checkout. A source without `taskboard/` (a student handed in only `lessons/`) gets the
 * course's own, which every lesson imports as `../../../taskboard/index.js`.
 */
export function stageCheckout(sourceRoot: string, { slugs, label = 'checkout' }: StageCheckoutOptions = {}): Staged {
  const source = isAbsolute(sourceRoot) ? sourceRoot : resolve(sourceRoot);
  const lessons = join(source, 'lessons');
  if (!isDir(source)) throw new StagingError(`${source} does not exist or is not a folder.`);
  if (!isDir(lessons)) throw new StagingError(`${source} has no lessons/ folder.`);
  const chosen = slugs ?? lessonFolders(lessons);
  const missing = chosen.filter((slug) => !isDir(join(lessons, slug)));
  if (missing.length) throw new StagingError(`${source} has no ${missing.map((s) => `lessons/${s}`).join(', ')}.`);

  const staged = makeScratch(label);
  try {
    for (const slug of chosen) copyTree(join(lessons, slug), join(staged.root, 'lessons', slug));
    const taskboard = isDir(join(source, 'taskboard')) ? join(source, 'taskboard') : join(COURSE_ROOT, 'taskboard');
    copyTree(taskboard, join(staged.root, 'taskboard'));
    return staged;
  } catch (error) {
    staged.dispose();
    throw error;
  }
}

export interface StagePatchedOptions {
  /** Which tree of the course the lesson folder comes from. */
  tree?: 'solutions' | 'lessons';
  /** The course checkout to copy from (tests use another). */
  courseRoot?: string;
}

/**
 * Copies `<tree>/<slug>` (the solution, by default) into a scratch checkout and applies a
 * patch to it with `git apply`. Paths in the patch are relative to the lesson folder
 * (`a/src/server.ts`); text before the first `---`/`diff` line (a variant's `Why:` and
 * `Caught-by:` header) is ignored by `git apply`. A patch that does not apply is a
 * StagingError naming the patch and git's reason; nothing is left behind.
 */
export function stagePatched(slug: string, patchFile: string, { tree = 'solutions', courseRoot = COURSE_ROOT }: StagePatchedOptions = {}): Staged {
  const from = join(courseRoot, tree, slug);
  if (!isDir(from)) throw new StagingError(`There is no ${tree}/${slug} in ${courseRoot}.`);
  const patch = resolve(patchFile);
  if (!existsSync(patch)) throw new StagingError(`The patch ${patchFile} does not exist.`);

  const staged = makeScratch(`${slug}-${basename(patch).replace(/\.patch$/, '')}`);
  try {
    const lesson = join(staged.root, 'lessons', slug);
    copyTree(from, lesson);
    copyTree(join(courseRoot, 'taskboard'), join(staged.root, 'taskboard'));
    applyPatch(lesson, patch);
    return staged;
  } catch (error) {
    staged.dispose();
    throw error;
  }
}

/**
 * `git apply` in `dir`, as a "better patch": the scratch folder sits inside the course's git
 * work tree, where git would take the patch's paths relative to the repository root and
 * silently skip them ("Skipped patch"); GIT_CEILING_DIRECTORIES stops git from finding that
 * repository, so paths are relative to `dir`. `--verbose` lets us confirm something applied.
 */
export function applyPatch(dir: string, patch: string): void {
  const run = spawnSync('git', ['apply', '--verbose', '--whitespace=nowarn', patch], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CEILING_DIRECTORIES: resolve(dir, '..'), GIT_DIR: undefined, GIT_WORK_TREE: undefined } as NodeJS.ProcessEnv,
  });
  if (run.error) throw new StagingError(`Could not run git to apply ${patch}: ${run.error.message}`);
  const output = `${run.stderr ?? ''}${run.stdout ?? ''}`.trim();
  if (run.status !== 0) {
    const reason = output.split('\n').filter((l) => /patch failed|corrupt|No valid patches|does not (apply|exist)|No such file/i.test(l)).join('; ') || output;
    throw new StagingError(`The patch ${patch} does not apply to ${basename(dir)}: ${reason}`);
  }
  if (/Skipped patch/i.test(output) || !/Applied patch .* cleanly|Applying patch/i.test(output)) {
    throw new StagingError(`The patch ${patch} changed nothing in ${basename(dir)} (git apply: ${output || 'no output'}).`);
  }
}
