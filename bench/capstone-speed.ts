/**
 * Lesson 08's speed table (issue 10), side by side in one run:
 *
 *   tools/call per second over stdio and over Streamable HTTP for
 *     capstone           solutions/08-capstone, built (its `npm run build`, or bundled here with esbuild)
 *     bare SDK           bench/fixtures/bare-server.ts: one McpServer, one tool with the capstone's
 *                        list_tasks schemas, answering from memory (bundled the same way)
 *     server-everything  @modelcontextprotocol/server-everything, its `echo` tool
 *   cold start: spawn of the built server to its first answer (initialize) and first tools/call
 *   resident memory (RSS) of each server after 10,000 calls
 *
 * against the issue's targets: at least the bare SDK's rate over stdio, at least twice
 * server-everything's over HTTP, first answer within 300 ms, under 80 MB.
 *
 *   npx tsx bench/capstone-speed.ts [--runs N] [--target solutions|lessons] [--cpu-prof DIR]
 *
 * Method: every server runs as plain `node file.js`, each in its own process; the client (this
 * process, bench/lib/load.ts) keeps 8 calls in flight: over stdio on the one connection, over
 * HTTP one call on each of 8 sessions. 2,000 warm-up calls, then `--runs` measured windows per
 * server and transport, the servers taking turns window by window so a change in the machine's
 * load falls on all of them alike; the figure is the median window. Each server's 10,000th call
 * ends its last window, and its RSS is read then. Besides calls per second, the server process's
 * own CPU time per call (from /proc): the load of other work on the machine moves it much less.
 *
 * A benchmark, not a test: it prints figures and targets met or missed, and exits 0 unless it
 * could not measure (a failed call, a server that did not start).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { COURSE_ROOT } from '../common/paths.js';
import { benchOptions } from './lib/args.js';
import { httpConnection, keepAliveAgent, load, measure, median, rssMb, stdioConnection, stop, type Connection, type ToolCall, type Window, freePort } from './lib/load.js';

const USAGE = `Usage: npx tsx bench/capstone-speed.ts [--runs N] [--target solutions|lessons] [--cpu-prof DIR]

  --runs N        measured windows per server and transport (default 5)
  --target T      which capstone tree to build and measure (default solutions)
  --cpu-prof DIR  also write a V8 CPU profile of the capstone (stdio and HTTP) into DIR`;
const options = benchOptions(USAGE, { target: { type: 'string', default: 'solutions' }, 'cpu-prof': { type: 'string' } });
const target = options.target;
const runs = options.runs;

const WORKERS = 8;
const TOTAL_CALLS = 10_000;
const WARM_UP = 2_000;
const WINDOW = Math.floor((TOTAL_CALLS - WARM_UP) / runs);
const COLD_STARTS = 9;

const scratch = join(COURSE_ROOT, '.scratch', 'bench');
mkdirSync(scratch, { recursive: true });
// Inside the course, so the bundles' `import '@modelcontextprotocol/sdk/…'` finds its node_modules.
const work = mkdtempSync(join(scratch, 'capstone-speed-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

// ---- the built servers ------------------------------------------------------------------------

const esbuild = join(COURSE_ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'esbuild.cmd' : 'esbuild');
/** Bundles one entry the way lesson 07 packs its bin: dependencies stay packages, our code is one file. */
function bundle(entry: string, outfile: string): string {
  const made = spawnSync(esbuild, [entry, '--bundle', '--platform=node', '--target=node22', '--format=esm', '--packages=external', '--log-level=warning', `--outfile=${outfile}`], { cwd: COURSE_ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (made.status !== 0) throw new Error(`esbuild ${relative(COURSE_ROOT, entry)} failed:\n${made.stderr}`);
  return outfile;
}

/** The capstone's built entry: the lesson's own build when it has one, else an esbuild bundle of src/main.ts. */
function buildCapstone(): { file: string; how: string } {
  const dir = join(COURSE_ROOT, target, '08-capstone');
  const pkgPath = join(dir, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { scripts?: Record<string, string>; bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin ? Object.values(pkg.bin)[0] : undefined;
    if (pkg.scripts?.build && bin) {
      const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: dir, encoding: 'utf8', shell: process.platform === 'win32' });
      if (built.status !== 0) throw new Error(`npm run build in ${relative(COURSE_ROOT, dir)} failed:\n${built.stdout}${built.stderr}`);
      return { file: join(dir, bin), how: `${relative(COURSE_ROOT, dir)}: npm run build → ${bin}` };
    }
  }
  const file = bundle(join(dir, 'src', 'main.ts'), join(work, 'capstone', 'dist', 'main.js'));
  return { file, how: `${relative(COURSE_ROOT, dir)}/src/main.ts bundled with esbuild (the lesson has no build script yet)` };
}

interface Target {
  label: string;
  /** Starts the server; resolves when it can be connected to. */
  start(transport: 'stdio' | 'http', extraNodeArgs?: string[]): Promise<Running>;
  /** Sets up what the measured call needs, over one connection. */
  prepare(connection: Connection): Promise<void>;
  call: ToolCall;
}

interface Running {
  child: ChildProcess;
  url?: URL;
}

let logCount = 0;
/**
 * Starts `node args…`. What a server prints for people (stderr; server-everything's stdout over
 * HTTP) goes to a file, as an installed server's log does: a pipe would tie the server's speed to
 * how fast this busy process reads it (Node writes to a pipe synchronously, and waits when it is full).
 */
function launch(args: string[], env: Record<string, string>, stdio: 'stdio' | 'http'): Launched {
  const log = join(work, 'logs', `${++logCount}.log`);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, { cwd: work, env: { ...process.env, ...env }, stdio: stdio === 'stdio' ? ['pipe', 'pipe', fd] : ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return Object.assign(child, { log });
}

type Launched = ChildProcess & { log: string };

/** Waits for a line matching `pattern` in a server's log file; fails when the server exits first. */
async function logLine(child: Launched, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = pattern.exec(readFileSync(child.log, 'utf8'));
    if (m) return m;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`${what} did not get ready:\n${readFileSync(child.log, 'utf8').slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let dbCount = 0;
/** A Taskboard-style server (the capstone, or the bare one) started from `file` with the capstone's environment. */
function taskboardTarget(label: string, file: string, prepare: Target['prepare']): Target {
  return {
    label,
    async start(transport, extraNodeArgs = []) {
      const env = { TASKBOARD_TRANSPORT: transport, TASKBOARD_HOST: '127.0.0.1', TASKBOARD_PORT: '0', TASKBOARD_DB: join(work, `db-${++dbCount}`, 'taskboard.db'), TASKBOARD_USER: 'bench' };
      const child = launch([...extraNodeArgs, file], env, transport);
      if (transport === 'stdio') return { child };
      const [, url] = await logLine(child, /MCP server on (http:\/\/\S+)/, label);
      return { child, url: new URL(url!) };
    },
    prepare,
    call: { name: 'list_tasks', arguments: { project: 'BENCH' } },
  };
}

const everythingFile = join(COURSE_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const everything: Target = {
  label: 'server-everything',
  async start(transport) {
    if (transport === 'stdio') return { child: launch([everythingFile, 'stdio'], {}, 'stdio') };
    // It takes its port from PORT (no 0) and listens on every interface; we call it on loopback.
    const port = await freePort();
    const child = launch([everythingFile, 'streamableHttp'], { PORT: String(port) }, 'http');
    await logLine(child, /listening on port/, 'server-everything');
    return { child, url: new URL(`http://127.0.0.1:${port}/mcp`) };
  },
  async prepare() {},
  call: { name: 'echo', arguments: { message: 'Measure me' } },
};

// ---- one server under load --------------------------------------------------------------------

interface Loaded {
  target: Target;
  transport: 'stdio' | 'http';
  running: Running;
  connections: Connection[];
  windows: Window[];
  calls: number;
  /** RSS once connected (and prepared), before the first measured call. */
  rssStart?: number;
  rss?: number;
}

async function connect(target: Target, transport: 'stdio' | 'http', extraNodeArgs?: string[]): Promise<Loaded> {
  const running = await target.start(transport, extraNodeArgs);
  let connections: Connection[];
  if (transport === 'stdio') {
    connections = [await stdioConnection(running.child)];
  } else {
    const agent = keepAliveAgent(WORKERS);
    connections = [];
    // One after another: the first session's prepare() must not race the others' initialize.
    for (let i = 0; i < WORKERS; i++) connections.push(await httpConnection(running.url!, agent));
  }
  await target.prepare(connections[0]!);
  return { target, transport, running, connections, windows: [], calls: 0, rssStart: rssMb(running.child.pid!) };
}

async function window(loaded: Loaded, calls: number): Promise<Window> {
  const result = await measure(loaded.connections, WORKERS, calls, loaded.target.call, loaded.running.child.pid);
  loaded.calls += calls;
  if (result.failed > 0) throw new Error(`${loaded.target.label} over ${loaded.transport}: ${result.failed} of ${calls} calls failed; the first: ${result.firstError}`);
  return result;
}

// ---- cold start ---------------------------------------------------------------------------------

/** Spawn to the answer to initialize, and to the answer to the first tools/call, in ms. */
async function coldStart(target: Target, running: () => Running): Promise<[number, number]> {
  const started = performance.now();
  const { child } = running();
  const connection = await stdioConnection(child);
  const initialized = performance.now() - started;
  const result = await connection.call('tools/call', { name: target.call.name, arguments: target.call.arguments });
  const called = performance.now() - started;
  if (result.isError) throw new Error(`${target.label}: the first tools/call failed: ${JSON.stringify(result).slice(0, 300)}`);
  child.kill('SIGKILL');
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  return [initialized, called];
}

// ---- the run -----------------------------------------------------------------------------------

console.log(`\n## Lesson 08 capstone: speed against a bare SDK server and server-everything (issue 10)\n`);
console.log(`Node ${process.version}, ${availableParallelism()} cores; ${WORKERS} calls in flight; ${WARM_UP} warm-up calls, then ${runs} windows of ${WINDOW} calls per server and transport (median shown); load average at start ${load()}`);
const capstoneBuild = buildCapstone();
const bareFile = bundle(join(COURSE_ROOT, 'bench', 'fixtures', 'bare-server.ts'), join(work, 'bare', 'dist', 'bare-server.js'));
console.log(`capstone: ${capstoneBuild.how}\nbare SDK: bench/fixtures/bare-server.ts bundled with esbuild\nserver-everything: ${relative(COURSE_ROOT, everythingFile)} (tool echo)\n`);

const capstone = taskboardTarget('capstone', capstoneBuild.file, async (c) => {
  // One project with one task: list_tasks reads one row, the bare server answers the same task from memory.
  for (const [name, args] of [
    ['create_project', { key: 'BENCH', name: 'Bench' }],
    ['create_task', { project: 'BENCH', title: 'Measure me' }],
  ] as const) {
    const result = await c.call('tools/call', { name, arguments: args });
    if (result.isError) throw new Error(`capstone: ${name} failed: ${JSON.stringify(result).slice(0, 300)}`);
  }
});
const bare = taskboardTarget('bare SDK', bareFile, async () => {});
const targets = [capstone, bare, everything];

const loaded: Loaded[] = [];
for (const target of targets) for (const transport of ['stdio', 'http'] as const) loaded.push(await connect(target, transport));
for (const l of loaded) await window(l, WARM_UP);
const loads: string[] = [];
for (let round = 0; round < runs; round++) {
  for (const l of loaded) {
    // The last window makes up the 10,000 exactly (WINDOW is rounded down).
    const calls = round === runs - 1 ? TOTAL_CALLS - l.calls : WINDOW;
    l.windows.push(await window(l, calls));
  }
  loads.push(load().split(' ')[0]!);
}
for (const l of loaded) {
  l.rss = rssMb(l.running.child.pid!);
  await Promise.all(l.connections.map((c) => c.close().catch(() => undefined)));
  await stop(l.running.child);
}

// Cold start, stdio, the two built servers taking turns; one unmeasured start each first (file cache).
const coldDb = join(work, 'cold', 'taskboard.db');
const coldEnv = { TASKBOARD_DB: coldDb, TASKBOARD_USER: 'bench', TASKBOARD_LOG_LEVEL: 'error' };
{
  // The database the capstone's cold starts open: made once, as an installed server finds its own.
  const child = launch([capstoneBuild.file], coldEnv, 'stdio');
  const c = await stdioConnection(child);
  await capstone.prepare(c);
  await stop(child);
}
const cold: Record<string, { init: number[]; call: number[] }> = { capstone: { init: [], call: [] }, 'bare SDK': { init: [], call: [] } };
for (let i = 0; i <= COLD_STARTS; i++) {
  for (const [target, file] of [
    [capstone, capstoneBuild.file],
    [bare, bareFile],
  ] as const) {
    const [init, call] = await coldStart(target, () => ({ child: launch([file], coldEnv, 'stdio') }));
    if (i === 0) continue;
    cold[target.label]!.init.push(init);
    cold[target.label]!.call.push(call);
  }
}
const loadAtEnd = load();

// ---- the table --------------------------------------------------------------------------------

const find = (label: string, transport: 'stdio' | 'http') => loaded.find((l) => l.target.label === label && l.transport === transport)!;
const rate = (label: string, transport: 'stdio' | 'http') => median(find(label, transport).windows.map((w) => w.rate));
const cpu = (label: string, transport: 'stdio' | 'http') => {
  const values = find(label, transport).windows.map((w) => w.cpuUsPerCall).filter((v): v is number => v !== undefined);
  return values.length ? median(values) : undefined;
};
const cell = (text: string) => text.padStart(18);
const row = (name: string, values: string[], target = '') => console.log(`${name.padEnd(34)}${values.map(cell).join('')}   ${target}`);
const fmt = (n: number | undefined, digits = 0) => (n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

console.log(`\nload average (1 min) after each round: ${loads.join(', ')}; at the end ${loadAtEnd}\n`);
row('', targets.map((t) => t.label), 'target');
const capStdio = rate('capstone', 'stdio');
const bareStdio = rate('bare SDK', 'stdio');
const capHttp = rate('capstone', 'http');
const evHttp = rate('server-everything', 'http');
row('tools/call per s, stdio', targets.map((t) => fmt(rate(t.label, 'stdio'))), `>= bare SDK (${fmt(bareStdio)}): ${met(capStdio >= bareStdio)} (${fmt((capStdio / bareStdio) * 100)} %)`);
row('tools/call per s, HTTP', targets.map((t) => fmt(rate(t.label, 'http'))), `>= 2 x server-everything (${fmt(2 * evHttp)}): ${met(capHttp >= 2 * evHttp)} (${fmt(capHttp / evHttp, 2)} x)`);
// The same targets judged on the server's own CPU time per call (what one core could serve),
// which the rest of the machine's load moves far less than calls per second.
const cpuVerdict = (mine: number | undefined, theirs: number | undefined, factor: number) => (mine === undefined || theirs === undefined ? 'n/a' : `by CPU: ${met(mine * factor <= theirs)} (${fmt(theirs / mine, 2)} x)`);
row('server CPU per call, stdio (µs)', targets.map((t) => fmt(cpu(t.label, 'stdio'))), cpuVerdict(cpu('capstone', 'stdio'), cpu('bare SDK', 'stdio'), 1));
row('server CPU per call, HTTP (µs)', targets.map((t) => fmt(cpu(t.label, 'http'))), cpuVerdict(cpu('capstone', 'http'), cpu('server-everything', 'http'), 2));
const capInit = median(cold.capstone!.init);
const capCall = median(cold.capstone!.call);
row('cold start → initialize answered (ms)', [fmt(capInit), fmt(median(cold['bare SDK']!.init)), '—'], `<= 300 ms: ${met(capInit <= 300)}`);
row('cold start → first tools/call (ms)', [fmt(capCall), fmt(median(cold['bare SDK']!.call)), '—'], `(${met(capCall <= 300)} for the first tools/call too)`);
row('RSS once connected, stdio (MB)', targets.map((t) => fmt(find(t.label, 'stdio').rssStart, 1)), '(before the first call)');
row('RSS once connected, HTTP (MB)', targets.map((t) => fmt(find(t.label, 'http').rssStart, 1)), '(8 sessions open)');
const capRss = Math.max(find('capstone', 'stdio').rss ?? NaN, find('capstone', 'http').rss ?? NaN);
row(`RSS after ${fmt(TOTAL_CALLS)} calls, stdio (MB)`, targets.map((t) => fmt(find(t.label, 'stdio').rss, 1)), `< 80 MB: ${met(find('capstone', 'stdio').rss! < 80)}`);
row(`RSS after ${fmt(TOTAL_CALLS)} calls, HTTP (MB)`, targets.map((t) => fmt(find(t.label, 'http').rss, 1)), `< 80 MB: ${met(find('capstone', 'http').rss! < 80)}`);
console.log('\nevery window, in order (calls/s):');
for (const l of loaded) console.log(`  ${`${l.target.label}, ${l.transport}`.padEnd(28)}${l.windows.map((w) => fmt(w.rate)).join('  ')}`);
console.log(`\ncold start: spawn of \`node <built file>\` over stdio to the answer, median of ${COLD_STARTS} (the capstone opens an existing database, as an installed server does).`);
console.log(`capstone and bare SDK call list_tasks { project: "BENCH" } (one task); server-everything calls echo. Capstone over HTTP: open on loopback (no keys), as the other two.`);
if (Number.isNaN(capRss)) console.log('RSS: not measurable on this system.');

if (options['cpu-prof']) {
  // A profile per transport: 10,000 calls against a fresh capstone under --cpu-prof; written when
  // the server exits (SIGTERM → its graceful shutdown → process.exit).
  const dir = resolve(COURSE_ROOT, options['cpu-prof']);
  mkdirSync(dir, { recursive: true });
  for (const transport of ['stdio', 'http'] as const) {
    const l = await connect(capstone, transport, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `capstone-${transport}.cpuprofile`]);
    await window(l, TOTAL_CALLS);
    await Promise.all(l.connections.map((c) => c.close().catch(() => undefined)));
    await stop(l.running.child);
  }
  console.log(`\nCPU profiles of the capstone (10,000 calls each): ${relative(COURSE_ROOT, dir)}/capstone-{stdio,http}.cpuprofile`);
}
