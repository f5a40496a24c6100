import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { cleanupAfterCheck, stepTitle, useLesson, type StepContext } from '../harness/index.js';
import { describeError } from '../harness/failure.js';
import { apiKeysFile, ServerProcess } from './server-process.js';
import meta from './lesson.js';

const lesson = useLesson(meta);
type LoadConfig = (env: Record<string, string | undefined>) => Record<string, unknown>;

/** What loadConfig threw for `env`, or undefined when it returned. */
function thrown(load: LoadConfig, env: Record<string, string>): unknown {
  try {
    load(env);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe(stepTitle(meta, 4), () => {
  const step: StepContext = lesson.step(4);

  test('R4.1: loadConfig gives the defaults, converts what is set, and treats an empty variable as unset', { timeout: 60_000 }, async () => {
    const load = await step.fn<LoadConfig>('loadConfig');
    const defaults = await step.run('loadConfig({})', () => load({}));
    step.expect(defaults, 'loadConfig({}) should give the defaults').toMatchObject({ transport: 'stdio', host: '127.0.0.1', port: 3000, logLevel: 'info', shutdownMs: 10_000 });
    step.expect(defaults.dataPath, 'without TASKBOARD_DATA, dataPath is undefined').toBeUndefined();
    // Lesson 06: HTTP needs a way to check callers, here an API-keys file.
    const env = { TASKBOARD_TRANSPORT: 'http', TASKBOARD_HOST: '0.0.0.0', TASKBOARD_PORT: '8080', TASKBOARD_LOG_LEVEL: 'debug', TASKBOARD_DATA: '/srv/board.json', TASKBOARD_SHUTDOWN_MS: '2500', TASKBOARD_API_KEYS_FILE: apiKeysFile().file };
    step.expect(await step.run('loadConfig(env)', () => load(env)), `loadConfig(${JSON.stringify(env)}) should read and convert every variable`).toMatchObject({
      transport: 'http',
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'debug',
      dataPath: '/srv/board.json',
      shutdownMs: 2500,
    });
    for (const port of ['0', '65535']) step.expect((await step.run(`loadConfig({ TASKBOARD_PORT: "${port}" })`, () => load({ TASKBOARD_PORT: port }))).port, `TASKBOARD_PORT=${port} is a valid port`).toBe(Number(port));
    step.expect((await step.run('loadConfig({ TASKBOARD_PORT: "" })', () => load({ TASKBOARD_PORT: '', TASKBOARD_LOG_LEVEL: '' }))), 'an empty TASKBOARD_PORT or TASKBOARD_LOG_LEVEL counts as unset: the defaults apply').toMatchObject({ port: 3000, logLevel: 'info' });
  });

  test('R4.2: an invalid value is a ConfigError naming the variable; the server then writes one line to stderr and exits non-zero', { timeout: 60_000 }, async () => {
    const load = await step.fn<LoadConfig>('loadConfig');
    const bad: Array<[string, string]> = [
      ['TASKBOARD_PORT', 'abc'],
      ['TASKBOARD_PORT', '65536'],
      ['TASKBOARD_PORT', '-1'],
      ['TASKBOARD_PORT', '80.5'],
      ['TASKBOARD_LOG_LEVEL', 'loud'],
      ['TASKBOARD_TRANSPORT', 'carrier-pigeon'],
      ['TASKBOARD_SHUTDOWN_MS', 'soon'],
    ];
    for (const [name, value] of bad) {
      const error = thrown(load, { [name]: value });
      step.expect(error instanceof Error && error.name === 'ConfigError', `loadConfig({ ${name}: "${value}" }) should throw a ConfigError, got ${error === undefined ? 'a configuration' : describeError(error)}`).toBe(true);
      step.expect((error as Error).message, `the ConfigError for ${name}="${value}" should name the variable`).toContain(name);
    }

    const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_PORT: 'abc' });
    const code = await server.exit('the server to exit on TASKBOARD_PORT=abc');
    step.expect(code !== 0 && code !== null, `with TASKBOARD_PORT=abc the server should exit with a non-zero code.${server.context()}`).toBe(true);
    const lines = server.stderrLines.filter((l) => l.trim() !== '');
    step.expect(lines.length, `with TASKBOARD_PORT=abc, stderr should hold exactly one line (no stack trace).${server.context()}`).toBe(1);
    step.expect(lines[0], 'that line should name the variable').toContain('TASKBOARD_PORT');
    step.expect(server.stdoutLines.filter((l) => l.trim() !== ''), 'nothing on stdout: a client reads stdout as JSON-RPC').toEqual([]);
  });

  test('R4.3: the upstream credential is never repeated in a configuration error', { timeout: 60_000 }, async () => {
    const load = await step.fn<LoadConfig>('loadConfig');
    const secret = 'tok-8f3a91c2e7';
    const error = thrown(load, { TASKBOARD_WEBHOOK_TOKEN: secret, TASKBOARD_PORT: 'abc', TASKBOARD_LOG_LEVEL: 'loud' });
    step.expect(error instanceof Error && error.name === 'ConfigError', `loadConfig with a bad port and log level should throw a ConfigError, got ${error === undefined ? 'a configuration' : describeError(error)}`).toBe(true);
    step.expect((error as Error).message, 'a configuration error must not quote TASKBOARD_WEBHOOK_TOKEN: logs are read by many people').not.toContain(secret);
  });

  test('R4.5: lesson 06\'s rules hold: HTTP without TASKBOARD_API_KEYS_FILE or TASKBOARD_AUTH_ISSUER, a webhook URL without its token, or an unreadable keys file is a ConfigError; the server then exits non-zero with one line', { timeout: 60_000 }, async () => {
    const load = await step.fn<LoadConfig>('loadConfig');
    const dir = mkdtempSync(join(tmpdir(), 'taskboard-keys-'));
    cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
    const notKeys = join(dir, 'keys.json');
    writeFileSync(notKeys, '{ "not": "a list of keys" }');
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ TASKBOARD_TRANSPORT: 'http' }, 'TASKBOARD_API_KEYS_FILE', 'an HTTP server with no way to check its callers would serve anyone'],
      [{ TASKBOARD_WEBHOOK_URL: 'https://hooks.example/team' }, 'TASKBOARD_WEBHOOK_TOKEN', 'the webhook URL and its token go together'],
      [{ TASKBOARD_API_KEYS_FILE: notKeys }, 'TASKBOARD_API_KEYS_FILE', 'a keys file that is not a JSON array of { name, sha256, scopes } cannot be served'],
    ];
    for (const [env, name, why] of cases) {
      const error = thrown(load, env);
      step.expect(error instanceof Error && error.name === 'ConfigError', `loadConfig(${JSON.stringify(env)}) should throw a ConfigError (${why}), got ${error === undefined ? 'a configuration' : describeError(error)}`).toBe(true);
      step.expect((error as Error).message, `the ConfigError for ${JSON.stringify(env)} should name ${name}`).toContain(name);
    }
    step.expect(await step.run('loadConfig({})', () => load({})), 'over stdio (the default) no credential is needed: the client started the server itself').toMatchObject({ transport: 'stdio' });

    const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_TRANSPORT: 'http', TASKBOARD_PORT: '0' });
    const code = await server.exit('the server to exit on TASKBOARD_TRANSPORT=http with no credential configured');
    step.expect(code !== 0 && code !== null, `with TASKBOARD_TRANSPORT=http and neither TASKBOARD_API_KEYS_FILE nor TASKBOARD_AUTH_ISSUER, the server should exit non-zero instead of serving anyone.${server.context()}`).toBe(true);
    const lines = server.stderrLines.filter((l) => l.trim() !== '');
    step.expect(lines.length === 1 && lines[0]!.includes('TASKBOARD_API_KEYS_FILE'), `one line on stderr, naming TASKBOARD_API_KEYS_FILE.${server.context()}`).toBe(true);
  });

  test('R4.4: TASKBOARD_DATA names the board to serve; a file that is not there stops the server with one line', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskboard-board-'));
    cleanupAfterCheck(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'board.json');
    writeFileSync(file, JSON.stringify({ projects: [{ key: 'OPS', name: 'Operations' }], tasks: [{ project: 'OPS', title: 'Rotate the keys', priority: 'high' }] }));
    const server = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_DATA: file, TASKBOARD_LOG_LEVEL: 'warning' });
    await server.handshake();
    server.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'OPS' } } });
    const answer = await server.message('the answer to list_tasks OPS', (m) => m.id === 1);
    step.expect(JSON.stringify(answer), `with TASKBOARD_DATA=${file} (project OPS, task "Rotate the keys"), list_tasks OPS should show OPS-1`).toContain('OPS-1');

    const missing = ServerProcess.start(step, { file: 'src/main.ts' }, { TASKBOARD_DATA: join(dir, 'nope.json') });
    const code = await missing.exit('the server to exit when TASKBOARD_DATA names no file');
    step.expect(code !== 0 && code !== null, `when TASKBOARD_DATA names a file that does not exist, the server should exit non-zero.${missing.context()}`).toBe(true);
    const lines = missing.stderrLines.filter((l) => l.trim() !== '');
    step.expect(lines.length === 1 && lines[0]!.includes('TASKBOARD_DATA'), `one line on stderr, naming TASKBOARD_DATA.${missing.context()}`).toBe(true);
  });
});
