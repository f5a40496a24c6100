// The full-size fuzz of R-HTTP-3 and R-STDIO-2 (the checks send 150 per transport):
// `npx tsx checks/08-capstone/fuzz-full.ts [--count 10000] [--target lessons]`. Prints, per
// transport, how many messages went out, how many were well-formed requests and how many of
// those got their answer; exits 1 on a crash, a 5xx, a missing answer or a non-JSON-RPC line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { COURSE_ROOT, tsxLoaderUrl } from '../../common/paths.js';
import { messagesOf, post } from './fixture.js';
import { FUZZ_PROJECT, fuzzMessages, type FuzzMessage } from './fuzz.js';
import { startHttpServer, targetOf } from './serve.js';

const i = process.argv.indexOf('--count');
const count = i >= 0 ? Number(process.argv[i + 1]) : 10_000;
const target = targetOf(process.argv);
const messages = fuzzMessages(count, 2026);
const requests = messages.filter((m) => m.id !== undefined);
const kinds = `${messages.filter((m) => m.beforeInit).length} before initialize, ${messages.filter((m) => m.reusedBy !== undefined).length} reused ids, ${messages.filter((m) => m.toolError || m.text.length > 1_000_000).length} huge or deeply nested`;
let failures = 0;

/** Whether one answer is what the spec requires of it (an unknown method -32601, a huge or deep call a tool error). */
const asSpecified = (m: FuzzMessage, reply: Record<string, any> | undefined) =>
  reply !== undefined && (m.code === undefined || reply.error?.code === m.code) && (!m.toolError || reply.result?.isError === true);
const createFuzzProject = JSON.stringify({ jsonrpc: '2.0', id: 'setup', method: 'tools/call', params: { name: 'create_project', arguments: { key: FUZZ_PROJECT, name: 'Fuzz' } } });

// HTTP: one session, every message POSTed in turn.
{
  const server = await startHttpServer(target);
  const init = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }));
  const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
  await post(server.url, createFuzzProject, headers);
  let answered = 0;
  let serverErrors = 0;
  const started = performance.now();
  const rpc = (text: string) => {
    try {
      return messagesOf(text);
    } catch {
      return []; // not JSON-RPC: counted as unanswered
    }
  };
  for (const m of messages) {
    if (m.beforeInit) {
      // No session: 400 with a JSON-RPC error.
      const res = await post(server.url, m.text);
      if (res.status >= 500) serverErrors++;
      if (res.status === 400 && typeof rpc(res.text)[0]?.error?.code === 'number') answered++;
      continue;
    }
    if (m.reusedBy !== undefined) {
      // The first is under way once its headers are here; the second reuses its id: 409 (-32600) or, if the first was done, its answer.
      const first = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: m.text, signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
      const second = await post(server.url, m.reusedBy, headers);
      const firstText = first ? await first.text().catch(() => '') : '';
      if ((first?.status ?? 500) >= 500 || second.status >= 500) serverErrors++;
      const again = rpc(second.text).find((x) => x.id === m.id);
      const secondOk = second.status === 409 ? again?.error?.code === -32600 : second.status === 200 && again !== undefined;
      if (rpc(firstText).some((x) => x.id === m.id && x.result) && secondOk) answered++;
      continue;
    }
    const res = await post(server.url, m.text, headers);
    if (res.status >= 500) serverErrors++;
    if (m.id !== undefined && asSpecified(m, rpc(res.text).find((x) => x.id === m.id))) answered++;
  }
  const after = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'ping' }), headers);
  const alive = after.status === 200 && server.child.exitCode === null;
  console.log(`HTTP : ${messages.length} messages (${kinds}) in ${((performance.now() - started) / 1000).toFixed(1)} s, ${requests.length} well-formed requests, ${answered} answered as the spec says, ${serverErrors} answers ≥ 500, usable afterwards: ${alive}`);
  if (answered !== requests.length || serverErrors || !alive) failures++;
  server.stop();
}

// stdio: every message written at once, then a ping; wait for every answer.
{
  const dir = mkdtempSync(join(tmpdir(), 'taskboard-08-fuzz-'));
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), join(COURSE_ROOT, target, '08-capstone', 'src', 'main.ts')], { cwd: COURSE_ROOT, env: { ...process.env, TASKBOARD_DB: join(dir, 'db.sqlite') }, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines: string[] = [];
  const started = performance.now();
  // Done when every request has its answers (a reused id: two) and the final ping is answered,
  // or the process exits, or nothing for 60 s (what is missing then is counted as unanswered).
  const ids = new Set<unknown>(requests.map((m) => m.id));
  let owed = requests.reduce((n, m) => n + (m.reusedBy === undefined ? 1 : 2), 1);
  const done = new Promise<void>((resolve) => {
    let idle = setTimeout(resolve, 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      clearTimeout(idle);
      idle = setTimeout(resolve, 60_000);
      try {
        const m = JSON.parse(line) as Record<string, any>;
        if (('result' in m || 'error' in m) && (ids.has(m.id) || m.id === 'final') && --owed === 0) resolve();
      } catch {
        // counted below as a non-JSON-RPC line
      }
    });
    child.on('exit', () => resolve());
  }).then(() => undefined);
  for (const m of messages.filter((x) => x.beforeInit)) child.stdin.write(`${m.text}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  child.stdin.write(`${createFuzzProject}\n`);
  for (const m of messages.filter((x) => !x.beforeInit)) {
    child.stdin.write(`${m.text}\n`);
    if (m.reusedBy !== undefined) child.stdin.write(`${m.reusedBy}\n`);
  }
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'ping' })}\n`);
  await done;
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as Record<string, any>;
    } catch {
      return undefined;
    }
  });
  const impure = parsed.filter((m) => m?.jsonrpc !== '2.0').length;
  const byId = new Map<unknown, Array<Record<string, any>>>();
  for (const m of parsed) if (m && ('result' in m || 'error' in m)) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  const answered = requests.filter((m) => {
    const replies = byId.get(m.id) ?? [];
    // A reused id: two answers, the import's among them; any other request: exactly one, as the spec says.
    return m.reusedBy !== undefined ? replies.length === 2 && replies.some((r) => r.result?.structuredContent?.created === 300) : replies.length === 1 && asSpecified(m, replies[0]);
  }).length;
  const alive = child.exitCode === null;
  console.log(`stdio: ${messages.length} messages (${kinds}) in ${((performance.now() - started) / 1000).toFixed(1)} s, ${requests.length} well-formed requests, ${answered} answered as the spec says (once; a reused id twice), ${impure} non-JSON-RPC stdout lines, usable afterwards: ${alive}`);
  if (answered !== requests.length || impure || !alive) failures++;
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
