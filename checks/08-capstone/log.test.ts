import type { LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { describe, test } from 'vitest';
import { ANSWER_TIMEOUT_MS, NotificationLog, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { call, httpClient, KEYS, ok, post, refused, ServerProcess, SLOW, START_TIMEOUT_MS } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
/** The levels of the MCP logging utility (RFC 5424 severities). */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

function jsonObject(line: string): Record<string, any> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every stderr line so far, each required to be one JSON object with time, level and msg. */
function logLines(step: StepContext, server: ServerProcess): Array<Record<string, any>> {
  return server.stderr
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const entry = step.require(jsonObject(line), `every stderr line should be one JSON object, like {"time":"…","level":"info","msg":"…"}; got: ${line.slice(0, 200)}`);
      step.expect(typeof entry.time === 'string' && !Number.isNaN(Date.parse(entry.time)), `"time" should be an ISO 8601 timestamp: ${line.slice(0, 200)}`).toBe(true);
      step.expect(LEVELS, `"level" should be one of the MCP levels (${LEVELS.join(', ')}): ${line.slice(0, 200)}`).toContain(entry.level);
      step.expect(typeof entry.msg, `"msg" should be a string: ${line.slice(0, 200)}`).toBe('string');
      return entry;
    });
}

/** Waits for the log line of a tools/call of `tool` with `outcome`, and checks its duration. */
async function callLine(step: StepContext, server: ServerProcess, tool: string, outcome: string): Promise<Record<string, any>> {
  const find = () => server.stderr.map(jsonObject).find((e) => e?.tool === tool && e.outcome === outcome);
  await server.until(`a JSON log line on stderr for the tools/call of ${tool} with "tool": "${tool}", "outcome": "${outcome}"`, () => find() !== undefined, START_TIMEOUT_MS);
  const entry = find()!;
  step.expect(typeof entry.durationMs === 'number' && entry.durationMs >= 0, `the log line of a tools/call carries "durationMs", a number of milliseconds: ${show(entry)}`).toBe(true);
  return entry;
}

describe(stepTitle(meta, 11), () => {
  const step: StepContext = lesson.step(11);

  test('R-LOG-1: every tools/call leaves one JSON line on stderr (tool, outcome, durationMs), stdout stays JSON-RPC, and no line holds a key or an Authorization header', SLOW, async () => {
    const stdio = await ServerProcess.start(step, { transport: 'stdio' });
    stdio.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'capstone-check', version: '1.0.0' } } });
    stdio.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    stdio.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_project', arguments: { key: 'WEB', name: 'Website' } } });
    stdio.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'create_task', arguments: { project: 'NOPE', title: 'Nowhere' } } });
    stdio.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'WEB' } } });
    await stdio.until('the answers to three tools/call on stdout', () => [2, 3, 4].every((id) => stdio.stdout.some((l) => jsonObject(l)?.id === id)), START_TIMEOUT_MS);
    await callLine(step, stdio, 'create_project', 'ok');
    await callLine(step, stdio, 'create_task', 'tool_error');
    await callLine(step, stdio, 'list_tasks', 'ok');
    logLines(step, stdio);
    const impure = stdio.stdout.find((l) => jsonObject(l)?.jsonrpc !== '2.0');
    step.expect(impure, 'over stdio, logs go to stderr: every stdout line is a JSON-RPC message').toBeUndefined();

    const http = await ServerProcess.start(step, { transport: 'http' });
    const admin = await httpClient(step, http, 'admin');
    const reader = await httpClient(step, http, 'reader');
    await ok(step, admin, 'create_project', { key: 'WEB', name: 'Website' });
    await refused(step, reader, 'create_task', { project: 'WEB', title: 'x' }, 'the reader key lacks tasks:write');
    const bogus = 'tb-bogus-4242-not-a-key';
    const denied = await post(http.url!, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'WEB' } } }), { authorization: `Bearer ${bogus}` });
    step.expect(denied.status, 'an unknown key is refused (R-AUTH-1)').toBe(401);
    await callLine(step, http, 'create_project', 'ok');
    await callLine(step, http, 'create_task', 'tool_error');
    // The 401 above is answered before any tool runs: a round trip after it, and its log line, come after anything it logged.
    await ok(step, admin, 'list_tasks', { project: 'WEB' });
    await callLine(step, http, 'list_tasks', 'ok');
    logLines(step, http);
    for (const secret of [...Object.values(KEYS).map((k) => k.key), bogus]) {
      const leak = http.stderr.find((l) => l.includes(secret));
      step.expect(leak, `a log line must never hold an API key (nor the Authorization header that carries it); found ${secret.slice(0, 6)}… in: ${leak?.slice(0, 200)}`).toBeUndefined();
    }
    const header = http.stderr.find((l) => /bearer\s+\S/i.test(l));
    step.expect(header, `a log line must never hold an Authorization header: ${header?.slice(0, 200)}`).toBeUndefined();
  });

  test('R-LOG-2: logging is declared, logging/setLevel answers, a write sends notifications/message (info done, warning refused) and nothing below the level set', SLOW, async () => {
    const server = await ServerProcess.start(step, { transport: 'http' });
    const client = await httpClient(step, server, 'alice');
    step.expect(client.getServerCapabilities()?.logging, 'declare the logging capability: `capabilities: { logging: {} }` in the McpServer constructor').toBeDefined();
    const log = new NotificationLog(client, (n) => `${n.method} ${JSON.stringify(n.params ?? {}).slice(0, 120)}`);
    const messages = () => log.ofMethod('notifications/message') as LoggingMessageNotification[];
    const naming = (tool: string, level: string) => (n: { method: string; params?: unknown }) =>
      n.method === 'notifications/message' && (n.params as { level?: string }).level === level && (n.params as { logger?: string }).logger === 'taskboard' && JSON.stringify((n.params as { data?: unknown }).data ?? null).includes(`"${tool}"`);
    // No level set yet: every message is sent.
    await ok(step, client, 'create_project', { key: 'WEB', name: 'Website' });
    await log.waitFor(step, 'a notifications/message at level info, logger "taskboard", whose data names the tool create_project (no level set yet: all are sent)', naming('create_project', 'info'));
    try {
      await client.setLoggingLevel('info', { timeout: ANSWER_TIMEOUT_MS });
    } catch (error) {
      step.fail(`logging/setLevel should answer {} (${String(error)}): declare \`capabilities: { logging: {} }\` in the McpServer constructor; declared later with registerCapabilities, the SDK never installs the handler (-32601).`);
    }
    await refused(step, client, 'create_task', { project: 'NOPE', title: 'Nowhere' }, 'there is no project NOPE');
    await log.waitFor(step, 'a notifications/message at level warning, logger "taskboard", whose data names the refused tool create_task', naming('create_task', 'warning'));
    for (const sent of messages()) step.expect(LEVELS, `every notifications/message has one of the MCP levels: ${show(sent.params)}`).toContain(sent.params.level);

    await step.run('logging/setLevel warning', () => client.setLoggingLevel('warning', { timeout: ANSWER_TIMEOUT_MS }));
    const before = messages().length;
    // The message about a call goes out before the call's answer, on the same stream: once the
    // answer is here, a message about it would be too.
    await ok(step, client, 'create_task', { project: 'WEB', title: 'Quietly' });
    const below = messages().slice(before).filter((n) => LEVELS.indexOf(n.params.level) < LEVELS.indexOf('warning'));
    step.expect(below.map((n) => n.params), 'after logging/setLevel "warning", a successful write (info) must send no notifications/message').toEqual([]);
    const moved = await call(step, client, 'set_status', { id: 'WEB-1', status: 'todo' });
    step.expect(moved.isError, `set_status WEB-1 todo → todo is refused (R-STATUS-1): ${show(moved)}`).toBe(true);
    await log.waitFor(step, 'a notifications/message at level warning naming set_status (warning is at the level set)', naming('set_status', 'warning'));
  });
});
