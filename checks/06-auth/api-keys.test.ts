import crypto from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { syncBuiltinESMExports } from 'node:module';
import { join, relative } from 'node:path';
import { describe, test, vi } from 'vitest';
import { callTool, cleanupAfterCheck, connectHttp, show, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { initializeRequest, toolCall } from '../harness/http-client.js';
import { bearer, challenge, leaks, newApiKey, sha256Hex, startBoard, openSession } from './fixture.js';
import meta from './lesson.js';

const lesson = useLesson(meta);

const createWeb = () => toolCall('create_task', { project: 'WEB', title: 'Planted without a valid key' });

/** Records every call of crypto.timingSafeEqual, for as long as the check runs (the lesson's own import sees it). */
function watchTimingSafeEqual(): Array<[Buffer, Buffer]> {
  const calls: Array<[Buffer, Buffer]> = [];
  const original = crypto.timingSafeEqual;
  crypto.timingSafeEqual = ((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    calls.push([Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
    return original(a, b);
  }) as typeof crypto.timingSafeEqual;
  // `import { timingSafeEqual } from 'node:crypto'` is a live binding: this updates it too.
  syncBuiltinESMExports();
  cleanupAfterCheck(() => {
    crypto.timingSafeEqual = original;
    syncBuiltinESMExports();
  });
  return calls;
}

/** Everything the process writes to the console or stderr/stdout while the check runs. */
function captureOutput(): () => string {
  let text = '';
  const record = (...args: unknown[]) => {
    text += args.map((a) => (typeof a === 'string' ? a : (() => { try { return JSON.stringify(a) ?? String(a); } catch { return String(a); } })())).join(' ') + '\n';
  };
  for (const method of ['log', 'error', 'warn', 'info', 'debug', 'trace'] as const) vi.spyOn(console, method).mockImplementation(record);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (record(String(chunk)), true));
  cleanupAfterCheck(() => vi.restoreAllMocks());
  return () => text;
}

describe(stepTitle(meta, 2), () => {
  const step: StepContext = lesson.step(2);

  test('R2.1: a valid API key opens a session and can read and change the board', async () => {
    const board = await startBoard(step, { keys: true });
    const { client } = await connectHttp(step, board.url, { transport: { requestInit: { headers: bearer(board.keys.ci) } } });
    const listed = await callTool(step, client, 'list_tasks', { project: 'WEB' });
    step.expect(listed.isError ?? false, `list_tasks with the "ci" key should work, got ${show(listed)}`).toBe(false);
    const created = await callTool(step, client, 'create_task', { project: 'API', title: 'Created with an API key' });
    step.expect(created.isError ?? false, `create_task with the "ci" key should work, got ${show(created)}`).toBe(false);
    step.expect(board.store.listTasks({ project: 'API' }).map((t) => t.title), 'the task created with the key is on the board').toContain('Created with an API key');
  });

  test('R2.2: a request without credentials gets 401 with a Bearer challenge, even on an open session', async () => {
    const board = await startBoard(step, { keys: true });
    const init = await board.http.send({ body: initializeRequest() });
    step.expect(init.status, `initialize without an Authorization header should get 401, got ${init.status}`).toBe(401);
    step.expect(challenge(init.headers['www-authenticate'])?.scheme, `a 401 must carry "WWW-Authenticate: Bearer …", got ${JSON.stringify(init.headers['www-authenticate'])}`).toBe('bearer');
    const sessionId = await openSession(step, board.http, bearer(board.keys.ci), 'initialize with the "ci" key');
    const call = await board.http.send({ headers: { 'mcp-session-id': sessionId! }, body: createWeb() });
    step.expect(call.status, `a session id is not a credential: create_task on an open session without the key should get 401, got ${call.status}`).toBe(401);
    board.expectUnchanged('after requests without credentials');
  });

  test('R2.3: a malformed Authorization header gets 401', async () => {
    const board = await startBoard(step, { keys: true });
    const sessionId = await openSession(step, board.http, bearer(board.keys.ci), 'initialize with the "ci" key');
    const key = board.keys.ci;
    for (const authorization of [`Basic ${Buffer.from(`ci:${key}`).toString('base64')}`, 'Bearer', 'Bearer ', key, `Token ${key}`]) {
      const call = await board.http.send({ headers: { authorization, 'mcp-session-id': sessionId! }, body: createWeb() });
      step.expect(call.status, `"Authorization: ${authorization.replace(key, '<the ci key>').slice(0, 40)}" is not a Bearer credential and should get 401, got ${call.status}`).toBe(401);
    }
    board.expectUnchanged('after malformed Authorization headers');
  });

  test('R2.4: a wrong key gets 401, whether it has the length of a real key or another length', async () => {
    const board = await startBoard(step, { keys: true });
    const sessionId = await openSession(step, board.http, bearer(board.keys.ci), 'initialize with the "ci" key');
    const sameLength = newApiKey();
    const almost = board.keys.ci.slice(0, -1) + (board.keys.ci.endsWith('A') ? 'B' : 'A');
    for (const [what, key] of [['a wrong key of the same length', sameLength], ['the ci key with its last character changed', almost], ['a short wrong key', 'tbk_x'], ['a long wrong key', `${board.keys.ci}${board.keys.ci}`], ['the ci key\'s hash', sha256Hex(board.keys.ci)]] as const) {
      const call = await board.http.send({ headers: { ...bearer(key), 'mcp-session-id': sessionId! }, body: createWeb() });
      step.expect(call.status, `${what} should get 401 (a 500 means the comparison threw: compare equal-length digests), got ${call.status}`).toBe(401);
      const init = await board.http.send({ headers: bearer(key), body: initializeRequest() });
      step.expect(init.status, `initialize with ${what} should get 401, got ${init.status}`).toBe(401);
    }
    board.expectUnchanged('after requests with wrong keys');
  });

  test('R2.5: keys are compared with crypto.timingSafeEqual on equal-length digests, never as raw keys', async () => {
    const calls = watchTimingSafeEqual();
    const board = await startBoard(step, { keys: true });
    const wrong = newApiKey();
    for (const key of [board.keys.ci, wrong, 'tbk_short']) {
      await board.http.send({ headers: bearer(key), body: initializeRequest() });
    }
    step.expect(calls.length, 'checking a presented key should call crypto.timingSafeEqual (a === or Buffer.equals comparison stops at the first differing byte, and its timing tells an attacker how much was right)').toBeGreaterThan(0);
    for (const [a, b] of calls) {
      step.expect(a.length === b.length, 'timingSafeEqual should be given two buffers of the same length (digests are)').toBe(true);
      for (const key of [board.keys.ci, wrong, 'tbk_short']) {
        step.expect(a.equals(Buffer.from(key)) || b.equals(Buffer.from(key)), 'timingSafeEqual should compare digests (SHA-256 of the key), not the raw key: the server never holds a key').toBe(false);
      }
    }
  });

  test('R2.6: no key or key hash appears in a log line, a response or an error', async () => {
    const output = captureOutput();
    const board = await startBoard(step, { keys: true });
    const wrong = newApiKey();
    const sessionId = await openSession(step, board.http, bearer(board.keys.ci), 'initialize with the "ci" key');
    await board.http.send({ headers: { ...bearer(board.keys.ci), 'mcp-session-id': sessionId! }, body: toolCall('create_task', { project: 'WEB', title: 'Logged?' }) });
    await board.http.send({ headers: { ...bearer(board.keys.ci), 'mcp-session-id': sessionId! }, body: toolCall('complete_task', { id: 'WEB-99' }) });
    await board.http.send({ headers: { ...bearer(wrong), 'mcp-session-id': sessionId! }, body: createWeb() });
    await board.http.send({ headers: { authorization: `Basic ${wrong}` }, body: createWeb() });
    const secrets = [board.keys.ci, wrong, sha256Hex(board.keys.ci), sha256Hex(wrong), board.keys.viewer, sha256Hex(board.keys.viewer)];
    const logged = output();
    const transcript = board.http.transcript();
    for (const secret of secrets) {
      step.expect(leaks(logged, secret), 'the server logged an API key or its hash, or a piece of one (never log the Authorization header, a key, or a hash of one)').toBe(false);
      step.expect(leaks(transcript, secret), 'a response (a header, an error text) contained an API key or its hash, or a piece of one').toBe(false);
    }
  });

  test('R2.7: keys reach the server from a keys file of hashes; src/ holds no API key and no key hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'course-06-keys-'));
    cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
    const key = newApiKey();
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ name: 'deploy', sha256: sha256Hex(key), scopes: ['tasks:read'] }]));
    const loadApiKeys = await step.fn<(path: string) => unknown>('loadApiKeys', 'src/api-keys.ts');
    const records = await step.run('loadApiKeys(file)', () => loadApiKeys(file));
    const board = await startBoard(step, { extra: { apiKeys: records } });
    const sessionId = await openSession(step, board.http, bearer(key), 'initialize with a key whose hash is in the keys file (read with loadApiKeys)');
    // What loadApiKeys returns must protect the server: other keys refused, the file's scopes kept.
    const stranger = await board.http.send({ headers: bearer(newApiKey()), body: initializeRequest() });
    step.expect(stranger.status, `with the records of loadApiKeys(file), a key that is not in the file should get 401, got ${stranger.status}: loadApiKeys should return the file's { name, sha256, scopes } records`).toBe(401);
    const write = await board.http.send({ headers: { ...bearer(key), 'mcp-session-id': sessionId }, body: toolCall('delete_task', { id: 'WEB-1' }) });
    step.expect(write.status, `the keys file gives "deploy" the scope tasks:read only: delete_task with it should get 403, got ${write.status}`).toBe(403);
    board.expectUnchanged('after delete_task with a read-only key from the keys file');

    // A broken keys file stops the server at start (loadConfig calls loadApiKeys), with an error that
    // names the file and quotes none of it: it holds hashes, or a key pasted by mistake.
    const hash = sha256Hex(key);
    const broken: Array<[string, unknown]> = [
      ['an object instead of an array', { deploy: { sha256: hash } }],
      ['an entry without a name', [{ sha256: hash, scopes: ['tasks:read'] }]],
      ['an entry without a sha256', [{ name: 'deploy', scopes: ['tasks:read'] }]],
      ['the key itself in place of its hash', [{ name: 'deploy', sha256: key, scopes: ['tasks:read'] }]],
      ['a hash one digit short', [{ name: 'deploy', sha256: hash.slice(1), scopes: ['tasks:read'] }]],
      ['a hash with a character before it', [{ name: 'deploy', sha256: `x${hash}`, scopes: ['tasks:read'] }]],
      ['a hash with a character after it', [{ name: 'deploy', sha256: `${hash}x`, scopes: ['tasks:read'] }]],
    ];
    for (const [what, content] of broken) {
      const path = join(dir, 'broken.json');
      writeFileSync(path, JSON.stringify(content));
      let message: string | undefined;
      try {
        loadApiKeys(path);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      step.expect(message, `loadApiKeys should throw for a keys file with ${what} (each entry needs a name and a sha256 of 64 hex digits): a broken keys file must stop the server at start, not fail at the first request`).toBeDefined();
      step.expect(message!.includes(path), `loadApiKeys's error for a keys file with ${what} should name the file (${path}), so the operator knows what to fix; got ${JSON.stringify(message)}`).toBe(true);
      step.expect(leaks(message!, key) || leaks(message!, hash), `loadApiKeys's error for a keys file with ${what} quotes the file (a key or a hash): main.ts prints it; name the entry, never its content`).toBe(false);
    }

    const root = step.path('src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(root);
    const secretLike = /\btbk_[A-Za-z0-9_-]{20,}|\b[0-9a-f]{64}\b|\b[0-9A-F]{64}\b/;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const found = secretLike.exec(text);
      step.expect(found?.[0], `${relative(step.path(''), file)} contains what looks like an API key or a SHA-256 hash: keys and hashes belong in the keys file or the environment, not in source control`).toBeUndefined();
    }
    step.expect(files.length, 'src/ should hold the lesson\'s files').toBeGreaterThan(0);
  });
});
