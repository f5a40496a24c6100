import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COURSE_ROOT } from '../../common/paths.js';
import { SCRATCH_DIR, stagePatched, type Staged } from '../../common/staging.js';
import { killProcessGroup } from '../../common/process-group.js';

/**
 * Runs the learner's tests (their lesson's `test/` folder) against code they did not write: the
 * reference solution, and copies of it with one bug planted in each (`planted/*.patch`). Each run
 * is its own vitest process (nested.config.ts, a JSON report), with a deadline, in a scratch copy
 * under `.scratch/` (inside the course, so the course's node_modules and "type": "module" serve it).
 */

export const SLUG = '07-testing';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const VITEST = join(COURSE_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const NESTED_CONFIG = join(HERE, 'nested.config.ts');
export const PLANTED_DIR = join(HERE, 'planted');

/** How long one run of the learner's suite may take before it counts as hung. */
export const SUITE_DEADLINE_MS = 90_000;

export interface TestOutcome {
  file: string;
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  assertions: number;
  failure: string;
}

export interface SuiteRun {
  /** The suite ran to the end and nothing failed. */
  passed: boolean;
  tests: TestOutcome[];
  /** Test files that failed to load or run (a syntax error, a failing import, a failing hook). */
  fileErrors: Array<{ file: string; message: string }>;
  /** Why the run gave no report at all (hung, crashed), or '' */
  problem: string;
  ms: number;
}

export interface PlantedBug {
  name: string;
  /** What part of the server it breaks, the only thing a learner is told about a missed one. */
  area: string;
  file: string;
}

export function plantedBugs(): PlantedBug[] {
  return readdirSync(PLANTED_DIR)
    .filter((f) => f.endsWith('.patch') && !f.startsWith('reference-'))
    .sort()
    .map((f) => {
      const file = join(PLANTED_DIR, f);
      const area = /^Area:\s*(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim() ?? f;
      return { name: f.replace(/\.patch$/, ''), area, file };
    });
}

/** The reference solution, copied into a scratch checkout (lessons/07-testing + taskboard). */
function stageReference(): Staged {
  mkdirSync(SCRATCH_DIR, { recursive: true });
  const root = mkdtempSync(join(SCRATCH_DIR, `${SLUG}-reference-`));
  const skip = new Set(['node_modules', 'dist', 'test']);
  cpSync(join(COURSE_ROOT, 'solutions', SLUG), join(root, 'lessons', SLUG), { recursive: true, filter: (s) => !skip.has(basename(s)) });
  cpSync(join(COURSE_ROOT, 'taskboard'), join(root, 'taskboard'), { recursive: true });
  const dispose = () => rmSync(root, { recursive: true, force: true });
  return { root, dispose, [Symbol.dispose]: dispose };
}

/** Puts the learner's test folder (and nothing else of theirs) into a staged copy. */
function withTests(staged: Staged, testDir: string): string {
  const lesson = join(staged.root, 'lessons', SLUG);
  rmSync(join(lesson, 'test'), { recursive: true, force: true });
  if (existsSync(testDir)) {
    cpSync(testDir, join(lesson, 'test'), { recursive: true, dereference: true, filter: (s) => basename(s) !== 'node_modules' });
  }
  return lesson;
}

/** Runs the learner's tests against the reference (patch undefined) or a patched copy. */
export async function runAgainst(testDir: string, patch?: string, { bail = false } = {}): Promise<SuiteRun> {
  const staged = patch ? stagePatched(SLUG, patch) : stageReference();
  try {
    return await runSuite(withTests(staged, testDir), { bail });
  } finally {
    staged.dispose();
  }
}

/** One vitest run of `lessonDir`'s test/ folder, in its own process, with a JSON report. */
export async function runSuite(lessonDir: string, { bail = false, deadlineMs = SUITE_DEADLINE_MS } = {}): Promise<SuiteRun> {
  const started = Date.now();
  const report = join(lessonDir, '.learner-report.json');
  // The run must not think it is a worker of the checks' own vitest.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TEST$|NODE_OPTIONS$|COURSE_TARGET$)/.test(k)));
  const args = [VITEST, 'run', '--root', lessonDir, '--config', NESTED_CONFIG, '--reporter=json', `--outputFile=${report}`, '--passWithNoTests'];
  if (bail) args.push('--bail=1');
  // Its own process group, so a deadline can end the run with every server its tests started.
  const child = spawn(process.execPath, args, { cwd: lessonDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) live.add(child.pid);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    killProcessGroup(child.pid);
  }, deadlineMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (c) => resolve(c));
  });
  clearTimeout(timer);
  killProcessGroup(child.pid); // servers a test started and never closed
  if (child.pid !== undefined) live.delete(child.pid);
  const ms = Date.now() - started;
  if (hung) return { passed: false, tests: [], fileErrors: [], problem: `your tests did not finish within ${deadlineMs / 1000} s (a test that waits for something that never comes, or a process never closed?)`, ms };
  if (!existsSync(report)) return { passed: false, tests: [], fileErrors: [], problem: `vitest stopped (exit code ${code}) without a report:\n${output.trim().split('\n').slice(-8).join('\n')}`, ms };
  return { ...parseReport(readFileSync(report, 'utf8'), lessonDir), ms };
}

interface JsonReport {
  success: boolean;
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[]; meta?: { assertions?: number } }>;
  }>;
}

function parseReport(text: string, lessonDir: string): Omit<SuiteRun, 'ms'> {
  const report = JSON.parse(text) as JsonReport;
  const rel = (path: string) => (path.startsWith(lessonDir) ? path.slice(lessonDir.length + 1) : path);
  const tests: TestOutcome[] = [];
  const fileErrors: SuiteRun['fileErrors'] = [];
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.message) fileErrors.push({ file: rel(file.name), message: file.message.split('\n')[0] ?? '' });
    for (const t of file.assertionResults) {
      tests.push({
        file: rel(file.name),
        name: t.fullName,
        state: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped',
        assertions: t.meta?.assertions ?? 0,
        failure: (t.failureMessages[0] ?? '').split('\n')[0] ?? '',
      });
    }
  }
  const passed = report.success && fileErrors.length === 0 && !tests.some((t) => t.state === 'failed');
  return { passed, tests, fileErrors, problem: '' };
}

/** Suite runs still going: ended with this process, so a stopped check leaves no run behind. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killProcessGroup(pid);
});


/** Two suite runs at a time, across every check of this lesson: a run is mostly waiting for
 * processes, and two runs keep both cores busy without starving the servers the tests start. */
const LANES = Math.max(1, Math.min(2, availableParallelism()));
let busy = 0;
const queue: Array<() => void> = [];

async function inLane<T>(work: () => Promise<T>): Promise<T> {
  if (busy >= LANES) await new Promise<void>((resolve) => queue.push(resolve));
  busy++;
  try {
    return await work();
  } finally {
    busy--;
    queue.shift()?.();
  }
}

const memo = new Map<string, Promise<unknown>>();

/** Each run once per test folder, shared by the checks of this lesson (they run in one worker). */
function once<T>(key: string, work: () => Promise<T>): Promise<T> {
  let pending = memo.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = work();
    memo.set(key, pending);
  }
  return pending;
}

/** The learner's tests against the reference solution. */
export function referenceRun(testDir: string): Promise<SuiteRun> {
  return once(`reference ${testDir}`, () => inLane(() => runAgainst(testDir)));
}

/** Against the reference with its notifications and log messages sent 300 ms late: still correct. */
export function slowReferenceRun(testDir: string): Promise<SuiteRun> {
  return once(`slow ${testDir}`, () => inLane(() => runAgainst(testDir, join(PLANTED_DIR, 'reference-slow.patch'))));
}

export interface PlantedVerdict {
  bug: PlantedBug;
  run: SuiteRun;
  caught: boolean;
}

/** Against each planted bug in `names` (all when omitted); stops at the first failure (one is enough). */
export function plantedRuns(testDir: string, names?: readonly string[]): Promise<PlantedVerdict[]> {
  const bugs = plantedBugs().filter((b) => !names || names.includes(b.name));
  return Promise.all(
    bugs.map((bug) =>
      once(`planted ${bug.name} ${testDir}`, async () => {
        const run = await inLane(() => runAgainst(testDir, bug.file, { bail: true }));
        return { bug, run, caught: !run.passed };
      }),
    ),
  );
}
