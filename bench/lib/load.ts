/**
 * The load generator the server benchmarks share (`bench/auth-overhead.ts`, `bench/capstone-speed.ts`):
 * a lean JSON-RPC client over stdio and over Streamable HTTP, a fixed number of calls in flight,
 * and what the server process spent on them (CPU time from /proc, resident memory).
 *
 * Why not the SDK's Client: on a 2-core machine the client competes with the server for CPU, and
 * the SDK's Client validates every result against the tool's output schema (Ajv), so a server
 * whose tool declares an output schema would be measured slower for work its *client* does. This
 * client only frames requests and matches answers, the same few microseconds for every server.
 * Every answer is still checked: a JSON-RPC error or an `isError` result counts as a failure, and
 * the figures say how many there were.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';

export const PROTOCOL_VERSION = '2025-11-25';
const CLIENT_INFO = { name: 'course-bench', version: '1.0.0' };

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One connection's worth of MCP: send a request, get its result (or throw with the JSON-RPC error). */
export interface Connection {
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

type Message = { id?: number; result?: Record<string, unknown>; error?: { code: number; message: string } };

/** MCP over a spawned server's stdin/stdout, newline-delimited JSON-RPC; many requests may be in flight. */
export async function stdioConnection(child: ChildProcess): Promise<Connection> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal})`))));
  exited.catch(() => {
    for (const p of pending.values()) p.reject(new Error('the server exited'));
    pending.clear();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      return; // not ours to judge here: a stray line is the server's problem, not the figure's
    }
    if (typeof message.id !== 'number') return; // a notification (log message, list_changed)
    const p = pending.get(message.id);
    pending.delete(message.id);
    p?.resolve(message);
  });
  const send = (payload: Record<string, unknown>) => child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...payload })}\n`);
  const connection: Connection = {
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: (m) => (m.error ? reject(new Error(`${method}: ${m.error.code} ${m.error.message}`)) : resolve(m.result ?? {})), reject });
        send({ id, method, params });
      });
    },
    async close() {
      child.stdin!.end();
    },
  };
  await connection.call('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO });
  send({ method: 'notifications/initialized' });
  return connection;
}

/**
 * One Streamable HTTP session: initialize, then each call a POST with the session id, answered
 * as JSON or as a short event stream (both are read to the end). Keep-alive connections from
 * `agent`, so the figure is about the server's work, not TCP handshakes.
 */
export async function httpConnection(url: URL, agent: Agent, headers: Record<string, string> = {}): Promise<Connection> {
  let nextId = 1;
  let sessionId: string | undefined;
  const post = (body: Record<string, unknown>) =>
    new Promise<{ status: number; session?: string; messages: Message[]; text: string }>((resolve, reject) => {
      const text = JSON.stringify({ jsonrpc: '2.0', ...body });
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'content-length': Buffer.byteLength(text),
            ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const all = Buffer.concat(chunks).toString('utf8');
            const type = String(res.headers['content-type'] ?? '');
            const datas = type.includes('text/event-stream')
              ? all.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).filter(Boolean)
              : all.trim()
                ? [all]
                : [];
            let messages: Message[] = [];
            try {
              messages = datas.map((d) => JSON.parse(d) as Message);
            } catch {
              messages = [];
            }
            const session = res.headers['mcp-session-id'];
            resolve({ status: res.statusCode ?? 0, session: typeof session === 'string' ? session : undefined, messages, text: all });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  const call = async (method: string, params?: Record<string, unknown>) => {
    const id = nextId++;
    const answer = await post({ id, method, params });
    const message = answer.messages.find((m) => m.id === id);
    if (answer.status !== 200 || !message) throw new Error(`${method}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
    if (message.error) throw new Error(`${method}: ${message.error.code} ${message.error.message}`);
    if (answer.session) sessionId = answer.session;
    return message.result ?? {};
  };
  await call('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO });
  if (!sessionId) throw new Error(`initialize over HTTP at ${url.href} returned no Mcp-Session-Id`);
  const initialized = await post({ method: 'notifications/initialized' });
  if (initialized.status !== 202 && initialized.status !== 200) throw new Error(`notifications/initialized: HTTP ${initialized.status} ${initialized.text.slice(0, 300)}`);
  return {
    call,
    async close() {
      await new Promise<void>((resolve) => {
        const req = request(url, { method: 'DELETE', agent, headers: { 'mcp-session-id': sessionId!, 'mcp-protocol-version': PROTOCOL_VERSION, ...headers } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', () => resolve());
        req.end();
      });
    },
  };
}

/** A keep-alive agent with one socket per call in flight. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** Throws unless `result` is a successful tools/call result (a tool error is a failed call too). */
export function expectToolResult(result: Record<string, unknown>, call: ToolCall): void {
  if (result.isError || !Array.isArray(result.content)) throw new Error(`tools/call ${call.name} failed: ${JSON.stringify(result).slice(0, 300)}`);
}

export interface Window {
  calls: number;
  failed: number;
  ms: number;
  /** Calls per second of wall time. */
  rate: number;
  /** The server process's CPU time (user + system) per call, in microseconds; undefined off Linux. */
  cpuUsPerCall?: number;
  firstError?: string;
}

/**
 * `calls` tools/calls, `workers` of them in flight at any time: worker i sends over
 * `connections[i % connections.length]`, each its next call when its last one is answered.
 * With `pid`, the server's CPU time over the window too.
 */
export async function measure(connections: Connection[], workers: number, calls: number, call: ToolCall, pid?: number): Promise<Window> {
  let issued = 0;
  let failed = 0;
  let firstError: string | undefined;
  const cpuBefore = pid === undefined ? undefined : cpuMicros(pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const connection = connections[w % connections.length]!;
      while (issued < calls) {
        issued++;
        try {
          expectToolResult(await connection.call('tools/call', { name: call.name, arguments: call.arguments }), call);
        } catch (error) {
          failed++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  const cpuAfter = pid === undefined ? undefined : cpuMicros(pid);
  const cpuUsPerCall = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / calls : undefined;
  return { calls, failed, ms, rate: calls / (ms / 1000), cpuUsPerCall, firstError };
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these (100 on every Linux Node runs on).
const CLOCK_TICKS = 100;

/**
 * CPU time a process has used, in microseconds: the sum over its threads (JavaScript, GC helpers,
 * libuv's pool) of /proc/<pid>/task/<tid>/schedstat, which counts in nanoseconds; where that is
 * missing, utime + stime from /proc/<pid>/stat (10 ms steps). Undefined where there is no /proc.
 */
export function cpuMicros(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended between the listing and the read: its time is gone with it
      }
    }
    if (ns > 0) return ns / 1000;
  } catch {
    // no schedstat: the coarser counters below
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields 14 and 15 count from after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS);
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MB (/proc on Linux, `ps` elsewhere). */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // no /proc: ask ps
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(ps.stdout?.trim());
  return ps.status === 0 && kb > 0 ? kb / 1024 : undefined;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The 1-minute load average, for printing next to a figure (other work on the machine moves it). */
export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** A free TCP port on 127.0.0.1 (for servers that take a port but cannot be told 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when a line of the child's stderr or stdout matches `pattern` (with the match); rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => reject(new Error(`${what}: no line matching ${pattern} within ${timeoutMs / 1000} s:\n${seen.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      seen.push(line);
      const m = pattern.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    for (const stream of [child.stderr, child.stdout]) if (stream) createInterface({ input: stream }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${seen.join('\n')}`));
    });
  });
}

/** Ends a child we started and waits for it to be gone. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}
