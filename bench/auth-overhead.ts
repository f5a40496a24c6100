/**
 * Lesson 06's authentication, what it costs per call (issue 8): tools/call per second over
 * Streamable HTTP against the lesson's server
 *
 *   no auth          the solution's createServer behind the SDK transport, no auth middleware
 *                    (built in bench/fixtures/lesson06-http.ts, the solution untouched)
 *   open app         the solution's createHttpApp with no credentials configured
 *   API key          the solution's createHttpApp with keys and OAuth, called with an API key
 *   OAuth JWT        the same, called with an access token the course's authorization server
 *                    (oidc-provider, checks/harness/auth-server.ts) issued through the real flow:
 *                    discovery, dynamic registration, authorization code + PKCE, for this resource
 *
 * in the same run, with the same client concurrency, and the overhead per call against no auth.
 *
 *   npx tsx bench/auth-overhead.ts [--runs N] [--target solutions|lessons]
 *
 * Method: each set-up in its own server process (node --import tsx, as the lesson runs it);
 * 8 sessions, one call in flight on each; 1,000 warm-up calls, then `--runs` windows of 1,000 calls
 * per set-up, the set-ups taking turns window by window; median window. The call is
 * list_tasks { project: "WEB" } (a read: tasks:read). The overhead is given twice: from the rates
 * (1/rate with auth − 1/rate without, wall time per call with 8 in flight) and from the server
 * process's own CPU time per call (/proc), which the machine's other load moves much less.
 *
 * A benchmark, not a test: it prints figures, and fails only when it cannot measure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { COURSE_ROOT, tsxLoaderUrl } from '../common/paths.js';
import { benchOptions } from './lib/args.js';
import { startAuthServer } from '../checks/harness/auth-server.js';
import { HeadlessOAuthClient } from '../checks/harness/oauth-client.js';
import { httpConnection, keepAliveAgent, load, measure, median, stop, waitForLine, type Connection, type Window } from './lib/load.js';

const USAGE = `Usage: npx tsx bench/auth-overhead.ts [--runs N] [--target solutions|lessons]

  --runs N     measured windows per set-up (default 5)
  --target T   which lesson-06 tree to measure (default solutions)`;
const { runs, target: tree } = benchOptions(USAGE, { target: { type: 'string', default: 'solutions' } });

const WORKERS = 8;
const WARM_UP = 1_000;
const WINDOW = 1_000;
const CALL = { name: 'list_tasks', arguments: { project: 'WEB' } };

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));


console.log(`\n## Lesson 06: what authentication costs per call, Streamable HTTP (issue 8)\n`);
console.log(`Node ${process.version}, ${availableParallelism()} cores; ${WORKERS} sessions, one call in flight on each; ${WARM_UP} warm-up calls, then ${runs} windows of ${WINDOW} calls per set-up (median shown); tool list_tasks; load average at start ${load()}`);

const authServer = await startAuthServer({ accounts: ['ana'], accessTokenTtl: 3600 });
const apiKey = `tbk_${randomBytes(24).toString('base64url')}`;

async function startServer(mode: 'auth' | 'open' | 'none'): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), join(COURSE_ROOT, 'bench', 'fixtures', 'lesson06-http.ts'), mode, tree], {
    cwd: COURSE_ROOT,
    env: { ...process.env, BENCH_ISSUER: authServer.issuer, BENCH_JWKS_URI: authServer.jwksUri, BENCH_KEY_SHA256: createHash('sha256').update(apiKey, 'utf8').digest('hex') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdout!.resume();
  const [, url] = await waitForLine(child, /MCP server on (http:\/\/\S+)/, `lesson 06 server (${mode})`);
  child.stderr!.resume();
  return { child, url: new URL(url!) };
}

/** A token through the whole flow the lesson's end-to-end check runs, with the SDK's own client auth code. */
async function oauthToken(url: URL): Promise<string> {
  const provider = new HeadlessOAuthClient('course-bench');
  const first = await auth(provider, { serverUrl: url });
  if (first !== 'REDIRECT' || !provider.authorizationUrl) throw new Error(`the SDK's auth() did not ask for authorization (${first})`);
  const back = await authServer.approve(provider.authorizationUrl, { account: 'ana' });
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`the authorization server returned no code: ${back.href}`);
  if ((await auth(provider, { serverUrl: url, authorizationCode: code })) !== 'AUTHORIZED') throw new Error('the code was not exchanged for a token');
  const token = provider.tokens()?.access_token;
  const claims = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown; scope?: string };
  if (!token || claims.aud !== url.href) throw new Error(`the access token is not a JWT for ${url.href}: aud ${JSON.stringify(claims.aud)}`);
  return token;
}

interface Setup {
  label: string;
  child: ChildProcess;
  connections: Connection[];
  windows: Window[];
}

const setups: Setup[] = [];
try {
  const plan: Array<{ label: string; mode: 'auth' | 'open' | 'none'; credential?: (url: URL) => Promise<string> }> = [
    { label: 'no auth (SDK transport only)', mode: 'none' },
    { label: 'open app (createHttpApp, no keys)', mode: 'open' },
    { label: 'API key', mode: 'auth', credential: async () => apiKey },
    { label: 'OAuth JWT (oidc-provider)', mode: 'auth', credential: oauthToken },
  ];
  for (const step of plan) {
    const { child, url } = await startServer(step.mode);
    const headers: Record<string, string> = step.credential ? { authorization: `Bearer ${await step.credential(url)}` } : {};
    const agent = keepAliveAgent(WORKERS);
    const connections: Connection[] = [];
    for (let i = 0; i < WORKERS; i++) connections.push(await httpConnection(url, agent, headers));
    setups.push({ label: step.label, child, connections, windows: [] });
  }
  const run = async (setup: Setup, calls: number) => {
    const window = await measure(setup.connections, WORKERS, calls, CALL, setup.child.pid);
    if (window.failed > 0) throw new Error(`${setup.label}: ${window.failed} of ${calls} calls failed; the first: ${window.firstError}`);
    return window;
  };
  for (const setup of setups) await run(setup, WARM_UP);
  const loads: string[] = [];
  for (let round = 0; round < runs; round++) {
    for (const setup of setups) setup.windows.push(await run(setup, WINDOW));
    loads.push(load().split(' ')[0]!);
  }

  const base = setups[0]!;
  const rateOf = (s: Setup) => median(s.windows.map((w) => w.rate));
  const cpuOf = (s: Setup) => {
    const v = s.windows.map((w) => w.cpuUsPerCall).filter((x): x is number => x !== undefined);
    return v.length ? median(v) : undefined;
  };
  const f = (n: number | undefined, d = 0) => (n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const signed = (n: number | undefined) => (n === undefined ? 'n/a' : `${n >= 0 ? '+' : ''}${f(n)}`);
  console.log(`\nload average (1 min) after each round: ${loads.join(', ')}; at the end ${load()}\n`);
  console.log(`${'set-up'.padEnd(36)}${'calls/s'.padStart(9)}${'vs no auth'.padStart(12)}${'overhead/call'.padStart(15)}${'server CPU/call'.padStart(17)}${'overhead CPU'.padStart(14)}   windows (calls/s)`);
  for (const s of setups) {
    const r = rateOf(s);
    const c = cpuOf(s);
    const bc = cpuOf(base);
    console.log(
      `${s.label.padEnd(36)}${f(r).padStart(9)}${`${f((r / rateOf(base)) * 100)} %`.padStart(12)}${`${signed(1e6 / r - 1e6 / rateOf(base))} µs`.padStart(15)}${`${f(c)} µs`.padStart(17)}${`${signed(c !== undefined && bc !== undefined ? c - bc : undefined)} µs`.padStart(14)}   ${s.windows.map((w) => f(w.rate)).join(' ')}`,
    );
  }
  console.log(`\noverhead/call: wall time per call against no auth, from the median rates (8 in flight); overhead CPU: the server process's CPU time per call against no auth.`);
} finally {
  await Promise.all(setups.map((s) => Promise.all(s.connections.map((c) => c.close().catch(() => undefined)))));
  for (const child of children) await stop(child);
  await authServer.close();
}
