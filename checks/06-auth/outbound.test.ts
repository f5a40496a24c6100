import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, vi } from 'vitest';
import { ANSWER_TIMEOUT_MS, callTool, cleanupAfterCheck, connectHttp, listTools, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { RawHttp, initializeRequest, toolCall } from '../harness/http-client.js';
import { COURSE_ROOT, tsxLoaderUrl } from '../../common/paths.js';
import { bearer, leaks, newApiKey, READ_WRITE, sha256Hex, startBoard, startWebhook, useAuthServer } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
const authServer = useAuthServer();

const newCredential = () => `whk_${newApiKey().slice(4)}`;

/**
 * How long src/main.ts gets to start and print its URL. Starting it means tsx compiling the whole
 * server (the SDK, express, jose): about a second on an idle laptop, but many times that on a
 * loaded machine (a class graded in parallel). A guard against a server that never starts, not a
 * speed requirement; the two checks that spawn it get a deadline to match.
 */
const START_DEADLINE_MS = Math.max(3 * ANSWER_TIMEOUT_MS, 30_000);
const SPAWNING_CHECK_TIMEOUT_MS = START_DEADLINE_MS + 4 * ANSWER_TIMEOUT_MS;

/** Runs src/main.ts as its own process with `env`; resolves with its URL once it prints one, or with how it ended. */
async function startMain(step: StepContext, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), step.path('src/main.ts')], {
    cwd: COURSE_ROOT,
    env: { PATH: process.env.PATH ?? '', TASKBOARD_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanupAfterCheck(() => child.kill('SIGKILL'));
  const outcome = await new Promise<{ url?: URL; exitCode?: number | null }>((resolve) => {
    const timer = setTimeout(() => resolve({}), START_DEADLINE_MS);
    const look = () => {
      const match = /http:\/\/[^\s/]+:\d+\/mcp\b/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: new URL(match[0]) });
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code });
    });
  });
  return { ...outcome, output: () => output };
}

describe(stepTitle(meta, 6), () => {
  const step: StepContext = lesson.step(6);

  test("R6.1: notify_team calls the webhook with the server's credential, never the caller's token", async () => {
    const webhook = await startWebhook();
    const credential = newCredential();
    const board = await startBoard(step, { keys: true, auth: authServer(), upstream: { url: webhook.url, token: credential } });
    const token = await board.mint({ subject: 'ana' });
    const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(token) } } });
    const result = await callTool(step, client, 'notify_team', { task: 'WEB-1', message: 'The signup link is fixed.' });
    step.expect(result.isError ?? false, `notify_team should succeed when the webhook answers 200, got ${show(result)}`).toBe(false);
    step.expect(webhook.received.length, 'notify_team should POST once to the webhook').toBe(1);
    const [sent] = webhook.received;
    step.expect(sent!.headers.authorization, "the webhook must receive the server's own credential as `Authorization: Bearer <TASKBOARD_WEBHOOK_TOKEN>`").toBe(`Bearer ${credential}`);
    step.expect(JSON.stringify(sent), "the caller's access token must not be passed on to the webhook (token passthrough)").not.toContain(token);
    step.expect(sent!.method, 'notify_team should POST to the webhook').toBe('POST');
    step.expect(String(sent!.headers['content-type'] ?? ''), 'notify_team POSTs JSON: `content-type: application/json`').toMatch(/^application\/json\b/i);
    const payload = (() => {
      try {
        return JSON.parse(sent!.body) as unknown;
      } catch {
        return undefined;
      }
    })();
    step.expect(payload, `the webhook's body should be JSON, got ${JSON.stringify(sent!.body.slice(0, 200))}`).toBeDefined();
    step.expect(JSON.stringify(payload), 'the notification names the task').toContain('WEB-1');
    step.expect(leaks(JSON.stringify(result), credential), 'the tool result must not echo the credential, or any piece of it').toBe(false);

    // It changes something outside the board: not read-only, open world (lesson 03's annotations).
    const tool = (await listTools(step, client)).find((t) => t.name === 'notify_team');
    const hints = (tool?.annotations ?? {}) as Record<string, unknown>;
    step.expect(hints.readOnlyHint, `notify_team changes something (a message is posted): readOnlyHint must not be true, got ${show(tool?.annotations)}`).not.toBe(true);
    step.expect(hints.openWorldHint, `notify_team reaches another service: openWorldHint must not be false, got ${show(tool?.annotations)}`).not.toBe(false);
    step.expect(hints.idempotentHint, `notify_team called twice notifies twice: idempotentHint must not be true, got ${show(tool?.annotations)}`).not.toBe(true);
  });

  test('R6.2: the credential is read once, at start: a later change of the environment does not reach the calls', async () => {
    const webhook = await startWebhook();
    const credential = newCredential();
    const board = await startBoard(step, { keys: true, upstream: { url: webhook.url, token: credential } });
    const previous = process.env.TASKBOARD_WEBHOOK_TOKEN;
    process.env.TASKBOARD_WEBHOOK_TOKEN = 'changed-after-start';
    cleanupAfterCheck(() => {
      if (previous === undefined) delete process.env.TASKBOARD_WEBHOOK_TOKEN;
      else process.env.TASKBOARD_WEBHOOK_TOKEN = previous;
    });
    const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(board.keys.ci) } } });
    await callTool(step, client, 'notify_team', { task: 'API-1', message: 'Rate limit shipped.' });
    step.expect(webhook.received[0]?.headers.authorization, 'notify_team must use the credential createHttpApp was given (options.upstream.token), not process.env read at call time').toBe(`Bearer ${credential}`);
  });

  test('R6.3: when the webhook fails, the tool error has no credential, even if the webhook echoes the request', async () => {
    const webhook = await startWebhook({ status: 502, body: (req) => JSON.stringify({ error: 'bad gateway', youSent: req.headers }) });
    const credential = newCredential();
    const logged: string[] = [];
    for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    cleanupAfterCheck(() => vi.restoreAllMocks());
    const board = await startBoard(step, { keys: true, upstream: { url: webhook.url, token: credential } });
    const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(board.keys.ci) } } });
    const result = await callTool(step, client, 'notify_team', { task: 'WEB-2', message: 'Pricing page is late.' });
    step.expect(webhook.received.length, `notify_team should call the webhook once, got ${show(result)}`).toBe(1);
    step.expect(result.isError, `notify_team should be a tool error when the webhook answers 502, got ${show(result)}`).toBe(true);
    step.expect(JSON.stringify(result.content), `the tool error should say what the webhook answered: its status, 502, got ${show(result)}`).toContain('502');
    step.expect(leaks(JSON.stringify(result), credential), "the tool error must not contain the credential, or a piece of it (do not pass on the webhook's answer: it may quote your request)").toBe(false);
    step.expect(leaks(logged.join('\n'), credential), 'the server must not log the credential, or a piece of it').toBe(false);
  });

  test('R6.4: a missing credential stops the server at start, with the name of the variable to set', { timeout: SPAWNING_CHECK_TIMEOUT_MS }, async () => {
    const loadConfig = await step.fn<(env: Record<string, string>) => unknown>('loadConfig', 'src/config.ts');
    const full = { TASKBOARD_WEBHOOK_URL: 'http://127.0.0.1:9/hook', TASKBOARD_WEBHOOK_TOKEN: newCredential(), TASKBOARD_AUTH_ISSUER: authServer().issuer };
    const config = await step.run('loadConfig(env) with every variable set', () => loadConfig(full));
    step.expect(JSON.stringify(config), 'loadConfig(env) returns the configuration, the webhook credential included').toContain(full.TASKBOARD_WEBHOOK_TOKEN);
    for (const name of ['TASKBOARD_WEBHOOK_TOKEN', 'TASKBOARD_WEBHOOK_URL'] as const) {
      const env: Record<string, string> = { ...full };
      delete env[name];
      let message = '';
      try {
        loadConfig(env);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      step.expect(message, `loadConfig(env) without ${name} should throw an Error naming ${name}`).toContain(name);
      step.expect(message, 'the error names the missing variable, never the value of another one').not.toContain(full.TASKBOARD_WEBHOOK_TOKEN);
    }
    const { TASKBOARD_WEBHOOK_TOKEN: _token, ...withoutToken } = full;
    const main = await startMain(step, withoutToken);
    step.expect(main.url, `src/main.ts without TASKBOARD_WEBHOOK_TOKEN must not start listening; it printed: ${main.output().slice(-300)}`).toBeUndefined();
    step.expect(main.exitCode, `src/main.ts without TASKBOARD_WEBHOOK_TOKEN should exit at once with a non-zero code; it printed: ${main.output().slice(-300)}`).not.toBe(0);
    step.expect(main.exitCode, 'src/main.ts should exit (not keep running) when the credential is missing').not.toBeUndefined();
    step.expect(main.output(), 'what main.ts prints names the missing variable').toContain('TASKBOARD_WEBHOOK_TOKEN');
  });

  test('R6.5: src/main.ts listens on 127.0.0.1, and no key, hash, token or credential appears in its output or any answer', { timeout: SPAWNING_CHECK_TIMEOUT_MS }, async () => {
    const as = authServer();
    const webhook = await startWebhook({ status: 500, body: (req) => JSON.stringify({ echo: req.headers }) });
    const dir = mkdtempSync(join(tmpdir(), 'course-06-main-'));
    cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
    const key = newApiKey();
    const wrongKey = newApiKey();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify([{ name: 'ci', sha256: sha256Hex(key), scopes: READ_WRITE }]));
    const credential = newCredential();
    const main = await startMain(step, {
      TASKBOARD_API_KEYS_FILE: join(dir, 'keys.json'),
      TASKBOARD_AUTH_ISSUER: as.issuer,
      TASKBOARD_WEBHOOK_URL: webhook.url,
      TASKBOARD_WEBHOOK_TOKEN: credential,
    });
    const url = step.require(main.url, `src/main.ts should start and print the URL it listens on (http://127.0.0.1:PORT/mcp); it printed: ${main.output().slice(-400)}`);
    step.expect(url.hostname, 'by default the server binds to the loopback address 127.0.0.1').toBe('127.0.0.1');

    const good = await as.mintToken({ audience: url.href, subject: 'ana' });
    const expired = await as.mintToken({ audience: url.href, expiresIn: -3600 });
    const foreign = await as.mintToken({ audience: 'http://127.0.0.1:1/mcp' });
    const http = new RawHttp(url);
    const { sessionId } = await http.openSession(bearer(key));
    step.require(sessionId, `initialize with a key from TASKBOARD_API_KEYS_FILE should open a session; the server answered ${http.answers[0]?.status} and printed: ${main.output().slice(-300)}`);
    const session = { ...bearer(key), 'mcp-session-id': sessionId! };
    await http.send({ headers: session, body: toolCall('create_task', { project: 'WEB', title: 'From CI' }) });
    await http.send({ headers: session, body: toolCall('notify_team', { task: 'WEB-1', message: 'Hello' }) });
    await http.send({ headers: session, body: toolCall('complete_task', { id: 'NOPE-1' }) });
    await http.send({ headers: { ...bearer(wrongKey), 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    await http.send({ headers: { authorization: `Basic ${key}` }, body: initializeRequest() });
    for (const token of [good, expired, foreign]) {
      await http.send({ headers: bearer(token), body: initializeRequest() });
      await http.send({ headers: { ...bearer(token), 'mcp-session-id': sessionId! }, body: toolCall('list_tasks', { project: 'WEB' }) });
    }
    const tokenOpened = await http.openSession(bearer(good));
    step.expect(tokenOpened.answer.status, `initialize with a valid token from TASKBOARD_AUTH_ISSUER should succeed, got ${tokenOpened.answer.status}`).toBe(200);
    step.expect(webhook.received.at(-1)?.headers.authorization, 'notify_team used the credential from TASKBOARD_WEBHOOK_TOKEN').toBe(`Bearer ${credential}`);

    const secrets: Array<[string, string]> = [
      ['the API key', key],
      ['the API key\'s hash', sha256Hex(key)],
      ['a wrong API key', wrongKey],
      ['an access token', good],
      ['an expired access token', expired],
      ['a token for another server', foreign],
      ['the webhook credential', credential],
    ];
    const output = main.output();
    const transcript = http.transcript();
    for (const [what, secret] of secrets) {
      step.expect(leaks(output, secret), `${what} (or a piece of it) appeared in what src/main.ts wrote to stdout or stderr: never log an Authorization header, a key, a token or a credential`).toBe(false);
      step.expect(leaks(transcript, secret), `${what} (or a piece of it) appeared in an HTTP answer`).toBe(false);
    }
  });
});
