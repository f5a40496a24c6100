/**
 * A setup file of the `checks` project: runs in each check worker before each check file.
 *
 * 1. Gives every check its place (lesson, step, requirement ids) on vitest's `task.meta`, so the
 *    runner reads `testCase.meta()` instead of parsing titles and paths itself. The step comes
 *    from the enclosing `describe(stepTitle(meta, N), …)`, the ids from the check's name.
 * 2. Keeps the runner's watchdog informed: which check is running, and a heartbeat every
 *    HEARTBEAT_MS. A check stuck in a synchronous loop stops the heartbeat (nothing else runs on
 *    its thread), and the runner ends the thread from outside (course/worker/watchdog.ts).
 */
import { relative, sep } from 'node:path';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { STEP_TITLE } from '../../common/lesson-meta.js';
import { CHECKS_DIR } from '../../common/paths.js';
import { checkIds } from '../../common/requirement-ids.js';
import { WATCHDOG_CHANNEL, type CheckMeta, type WorkerSignal } from './channel.js';

declare module 'vitest' {
  interface TaskMeta {
    course?: CheckMeta;
  }
}

const HEARTBEAT_MS = 100;

/** The harness's registry of what the running check waits for (checks/harness/failure.ts). */
function waits(): Set<string> {
  const global = globalThis as { __coursePendingWaits?: Set<string> };
  return (global.__coursePendingWaits ??= new Set());
}

interface Node {
  type: string;
  name: string;
  meta: { course?: CheckMeta };
  suite?: Node;
  tasks?: Node[];
  file?: { filepath: string };
  filepath?: string;
}

function metaOf(test: Node, filepath: string): CheckMeta {
  let step: number | null = null;
  for (let suite = test.suite; suite && step === null; suite = suite.suite) {
    const match = STEP_TITLE.exec(suite.name);
    if (match) step = Number(match[1]);
  }
  return { lesson: relative(CHECKS_DIR, filepath).split(sep)[0] ?? '', step, requirements: checkIds(test.name) };
}

function tag(node: Node, filepath: string): void {
  for (const child of node.tasks ?? []) {
    if (child.type === 'test') child.meta.course ??= metaOf(child, filepath);
    else tag(child, filepath);
  }
}

// The worker keeps one channel and one heartbeat however many check files it runs
// (isolate: false re-runs this file per check file in the same thread).
const state = globalThis as { __courseWatchdog?: BroadcastChannel };
const channel = isMainThread ? undefined : (state.__courseWatchdog ??= openChannel());

function openChannel(): BroadcastChannel {
  const opened = new BroadcastChannel(WATCHDOG_CHANNEL);
  const beat: WorkerSignal = { kind: 'beat', thread: threadId };
  setInterval(() => opened.postMessage(beat), HEARTBEAT_MS).unref();
  (opened as unknown as { unref?: () => void }).unref?.();
  return opened;
}

function signal(message: WorkerSignal): void {
  channel?.postMessage(message);
}

beforeAll(({}, suite) => {
  const file = suite as unknown as Node & { id: string };
  const filepath = file.filepath ?? '';
  tag(file, filepath);
  // Code that runs before the first check (a check file's own beforeAll) is watched too.
  const meta: CheckMeta = { lesson: relative(CHECKS_DIR, filepath).split(sep)[0] ?? '', step: null, requirements: [] };
  signal({ kind: 'start', thread: threadId, id: file.id, name: '(setting up the check file)', file: filepath, meta });
});

// What a check was still waiting for when it ended: when vitest's own limit ended it, the runner
// names these instead of "Test timed out" (the harness registers them, checks/harness/failure.ts).
// Read in afterEach, which vitest runs before the checks' own clean-ups (onTestFinished), which
// close the clients and so settle what was pending.
const waitingAtEnd = new Map<string, string[]>();
afterEach(({ task }) => {
  if (waits().size) waitingAtEnd.set(task.id, [...waits()]);
});

beforeEach(({ task, onTestFinished }) => {
  const test = task as unknown as Node;
  const filepath = test.file?.filepath ?? '';
  const meta = (test.meta.course ??= metaOf(test, filepath));
  signal({ kind: 'start', thread: threadId, id: task.id, name: task.name, file: filepath, meta });
  waits().clear(); // what an earlier check left waiting is not this check's
  // The verdict, as soon as it is known: vitest sends its own reports in batches, and a thread
  // the watchdog ends takes the last batch with it; this way the checks that finished before
  // the stuck one keep their verdicts.
  onTestFinished(({ task: done }) => {
    const result = done.result;
    const waiting = waitingAtEnd.get(done.id) ?? [];
    waitingAtEnd.delete(done.id);
    const state = result?.state === 'pass' ? 'passed' : result?.state === 'skip' ? 'skipped' : 'failed';
    const errors = (result?.errors ?? []).map((e) => ({ name: e.name ?? 'Error', message: e.message ?? '', ...(e.diff ? { diff: e.diff } : {}) }));
    signal({ kind: 'end', thread: threadId, id: done.id, state, errors, waiting });
  });
});
