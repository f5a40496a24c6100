import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { processTree, stopTree } from '../../checks/harness/process-tree.js';
import { STARTUP_VARIABLES, startServerProcess } from '../../checks/harness/server-process.js';

/** Runs `file` through the harness and returns what it printed about itself. */
async function report(file: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<{ argv: string[]; env: Record<string, string>; cwd: string; spare: boolean }> {
  const child = startServerProcess(file, env, cwd);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return { ...JSON.parse(out), spare: child.spawnargs.some((arg) => arg.endsWith('spare-server.mjs')) };
}

test('issue 12: a server started from a spare process sees exactly what a freshly spawned one sees (argv, environment, folder)', async () => {
  mkdirSync(join(COURSE_ROOT, '.scratch'), { recursive: true });
  const dir = mkdtempSync(join(COURSE_ROOT, '.scratch', 'server-process-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'main.ts');
  writeFileSync(
    file,
    `const typed: string = 'ts';\nprocess.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: process.env, cwd: process.cwd(), typed }));\n`,
  );
  // The variables Node reads as it starts are the runner's, so a spare can serve.
  const startup = Object.fromEntries(STARTUP_VARIABLES.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
  const env = { ...startup, PATH: process.env.PATH ?? '', ONLY_THIS: 'yes' };
  // The first start may have no spare yet; each start leaves one behind for the next.
  const first = await report(file, env);
  const fromSpare = await report(file, env);
  const elsewhere = await report(file, env, dir);
  expect(fromSpare.spare, 'the second start is served by the spare the first one left').toBe(true);
  for (const seen of [first, fromSpare, elsewhere]) {
    expect(seen.argv).toEqual([file]);
    expect(seen.env).toEqual(env);
  }
  expect(first.cwd).toBe(COURSE_ROOT);
  expect(fromSpare.cwd).toBe(COURSE_ROOT);
  expect(elsewhere.cwd).toBe(dir);
});

test('issue 12: a zombie in a server tree (exited, never collected) counts as stopped, not as running for a second', async () => {
  // `sleep` never collects the child the shell left it: a zombie for as long as `sleep` lives.
  const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
  onTestFinished(() => void parent.kill('SIGKILL'));
  const state = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  };
  let zombie: number | undefined;
  for (let i = 0; i < 200 && zombie === undefined; i++) {
    zombie = processTree(parent.pid!).slice(1).find((pid) => state(pid) === 'Z');
    if (zombie === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(zombie, 'a zombie child of sleep').toBeDefined();
  const started = performance.now();
  await stopTree([zombie!]);
  // Counted as running, it was signalled for stopTree's whole second (a zombie ignores signals).
  expect(performance.now() - started).toBeLessThan(900);
});
