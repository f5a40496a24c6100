// The entry point of a check thread (course/worker/pool.ts starts it): vitest's own `threads`
// worker, plus one message of the course's own. Plain JavaScript: it runs before any loader.
//
// A check thread outlives a run (the pool parks it, so the next run skips the thread's start-up
// and the SDK's import). Before each later run the pool posts RESET here, and every module of the
// code under test is dropped from the thread's module cache, so the next run evaluates the
// learner's files afresh: module-level state never carries over from one run to the next. Only
// modules that never hold a learner's state are kept (vitest's, node_modules, the harness). The
// reset also brings the run's environment variables (COURSE_TARGET may have changed).
//
// This listener is registered before vitest's own, so for a RESET followed by a `run` on the same
// port, the reset is done (synchronously) before vitest starts the run.
import { parentPort, workerData } from 'node:worker_threads';

const { vitestEntry, keep, resetType } = workerData;

parentPort.on('message', (message) => {
  if (message?.type !== resetType) return;
  // This run's environment (a runner pointed at another target changes COURSE_TARGET).
  Object.assign(process.env, message.env);
  const modules = globalThis.__vitest_worker__?.evaluatedModules;
  if (!modules) return;
  for (const [id, node] of modules.idToModuleMap) {
    const file = node.file ?? id;
    if (file.includes('/node_modules/') || file.includes('/vitest/dist/') || keep.some((prefix) => file.startsWith(prefix))) continue;
    // Dropped whole (code too): the next import asks vitest for the file's current code.
    modules.invalidateModule(node);
    node.importers.clear();
  }
});

await import(vitestEntry);
