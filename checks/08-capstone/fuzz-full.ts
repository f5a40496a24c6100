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
import { fuzzMessages } from './fuzz.js';
import { startHttpServer, targetOf } from './serve.js';

const i = process.argv.indexOf('--count');
const count = i >= 0 ? Number(process.argv[i + 1]) : 10_000;
const target = targetOf(process.argv);
const messages = fuzzMessages(count, 2026);
const requests = messages.filter((m) => m.id !== undefined);
let failures = 0;

// HTTP: one session, every message POSTed in turn.
{
  const server = await startHttpServer(target);
  const init = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }));
  const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
  await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
  let answered = 0;
  let serverErrors = 0;
  const started = performance.now();
  for (const m of messages) {
    const res = await post(server.url, m.text, headers);
    if (res.status >= 500) serverErrors++;
    if (m.id !== undefined) {
      try {
        const reply = messagesOf(res.text).find((x) => x.id === m.id);
        if (reply && (m.code === undefined || reply.error?.code === m.code)) answered++;
      } catch {
        // not JSON-RPC: counted as unanswered
      }
    }
  }
  const after = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'ping' }), headers);
  const alive = after.status === 200 && server.child.exitCode === null;
  console.log(`HTTP : ${messages.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s, ${requests.length} well-formed requests, ${answered} answered as the spec says, ${serverErrors} answers ≥ 500, usable afterwards: ${alive}`);
  if (answered !== requests.length || serverErrors || !alive) failures++;
  server.stop();
}

// stdio: every message written at once, then a ping; wait for every answer.
{
  const dir = mkdtempSync(join(tmpdir(), 'taskboard-08-fuzz-'));
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), join(COURSE_ROOT, target, '08-capstone', 'src', 'main.ts')], { cwd: COURSE_ROOT, env: { ...process.env, TASKBOARD_DB: join(dir, 'db.sqlite') }, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines: string[] = [];
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.includes('"id":"final"')) resolve();
    });
    child.on('exit', () => resolve());
  });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  for (const m of messages) child.stdin.write(`${m.text}\n`);
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
  const byId = new Map<unknown, number>();
  for (const m of parsed) if (m) byId.set(m.id, (byId.get(m.id) ?? 0) + 1);
  const answered = requests.filter((m) => byId.get(m.id) === 1 && (m.code === undefined || parsed.find((x) => x?.id === m.id)?.error?.code === m.code)).length;
  const alive = child.exitCode === null;
  console.log(`stdio: ${messages.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s, ${requests.length} well-formed requests, ${answered} answered exactly once as the spec says, ${impure} non-JSON-RPC stdout lines, usable afterwards: ${alive}`);
  if (answered !== requests.length || impure || !alive) failures++;
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
