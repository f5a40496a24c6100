import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURSE_ROOT } from '../../common/paths.js';
import { killProcessGroup } from '../../common/process-group.js';
import type { RunOutcome } from '../run-checks.js';

export interface StudentRun {
  /** What the checks reported; null when the run produced nothing (stopped or crashed before the end). */
  outcome: RunOutcome | null;
  status: 'finished' | 'timeout' | 'crashed';
  /** Why there is no outcome, in one sentence, with the tail of what the run printed. */
  error?: string;
  durationMs: number;
}

const WORKER = join(COURSE_ROOT, 'course', 'grade', 'worker.mjs');

/**
 * Runs the course's checks for `slugs` against one (staged) checkout, in a process of its own:
 * one student's module state can never reach another's, and a student whose code spins, hangs
 * or eats memory costs at most `deadlineMs`. The worker leads a process group of its own
 * (`detached`), so ending it ends every server it spawned too: no child outlives the run.
 */
export function runStudent(target: string, slugs: readonly string[], deadlineMs: number, env: NodeJS.ProcessEnv = {}): Promise<StudentRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'mcp-course-grade-'));
  const outFile = join(scratch, 'outcome.json');
  const started = performance.now();
  const { promise, resolve } = Promise.withResolvers<StudentRun>();
  const child = spawn(process.execPath, [WORKER, target, slugs.join(','), outFile], {
    cwd: COURSE_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: plainOutput({ ...process.env, ...env }),
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000); // a student writing gigabytes costs nothing
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killProcessGroup(child.pid);
  }, deadlineMs);
  child.on('exit', (code) => {
    clearTimeout(timer);
    killProcessGroup(child.pid); // whatever the worker left running (a student's server, a grandchild)
    const durationMs = performance.now() - started;
    let outcome: RunOutcome | null = null;
    try {
      outcome = JSON.parse(readFileSync(outFile, 'utf8')) as RunOutcome;
    } catch {
      outcome = null;
    }
    rmSync(scratch, { recursive: true, force: true });
    const tail = output.trim().split('\n').slice(-5).join('\n');
    if (outcome) resolve({ outcome, status: 'finished', durationMs });
    else if (timedOut) resolve({ outcome, status: 'timeout', durationMs, error: `the checks did not finish within ${Math.round(deadlineMs / 1000)} s and were stopped` });
    else resolve({ outcome, status: 'crashed', durationMs, error: `the check run ended (exit ${code}) without results${tail ? `: ${tail}` : ''}` });
  });
  return promise;
}

/** No colour codes in messages that go into reports (FORCE_COLOR, even empty, would override NO_COLOR). */
function plainOutput(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...rest } = env;
  return { ...rest, NO_COLOR: '1' };
}

