import { describe, expect, test } from 'vitest';
import { createDemoStore } from '../../../taskboard/index.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { estimateHours } from '../src/estimate.js';
import { contextFragment, instructionsFragment } from '../src/fragments.js';
import { describeTask } from '../src/server.js';

// Step 1: unit tests of the pure parts: no server, no client, no process. Fast, and when one fails
// it points at one function. Each test builds what it needs, so tests can run in any order.

describe('estimateHours', () => {
  test('hours by priority, plus one per started 40 characters of title', () => {
    expect(estimateHours({ priority: 'low', title: 'x' })).toBe(2);
    expect(estimateHours({ priority: 'medium', title: 'x'.repeat(40) })).toBe(4);
    expect(estimateHours({ priority: 'high', title: 'x'.repeat(41) })).toBe(7);
    expect(estimateHours({ priority: 'urgent', title: 'x'.repeat(80) })).toBe(10);
  });
});

describe('describeTask', () => {
  test('one line with id, status, priority and title', () => {
    const task = createDemoStore().getTask('WEB-1');
    expect(describeTask(task)).toBe('WEB-1 [todo] (high) Fix the broken signup link');
  });
});

describe('fragments', () => {
  test('instructionsFragment numbers each step from 1', () => {
    const text = instructionsFragment(['First.', 'Second.']);
    expect(text).toContain('1. First.');
    expect(text).toContain('2. Second.');
  });

  test('contextFragment names the project and each of its tasks', () => {
    const store = createDemoStore();
    const text = contextFragment(store.getProject('WEB'), store.listTasks({ project: 'WEB' }));
    for (const id of ['WEB', 'WEB-1', 'WEB-2', 'WEB-3']) expect(text).toContain(id);
    expect(text).not.toContain('API-1');
  });
});

describe('loadConfig', () => {
  test('defaults when nothing is set, and empty counts as unset', () => {
    expect(loadConfig({})).toMatchObject({ transport: 'stdio', host: '127.0.0.1', port: 3000, logLevel: 'info' });
    expect(loadConfig({ TASKBOARD_PORT: '' }).port).toBe(3000);
  });

  test('reads and converts what is set', () => {
    // HTTP needs a way to check callers (lesson 06); an issuer needs no file and no network here.
    const config = loadConfig({ TASKBOARD_TRANSPORT: 'http', TASKBOARD_PORT: '8080', TASKBOARD_LOG_LEVEL: 'debug', TASKBOARD_DATA: 'board.json', TASKBOARD_AUTH_ISSUER: 'https://auth.example' });
    expect(config).toMatchObject({ transport: 'http', port: 8080, logLevel: 'debug', dataPath: 'board.json', oauth: { issuer: 'https://auth.example', jwksUri: 'https://auth.example/jwks' } });
  });

  test('refuses HTTP with no way to check callers, and a webhook URL without its token', () => {
    expect(() => loadConfig({ TASKBOARD_TRANSPORT: 'http' })).toThrow(/TASKBOARD_API_KEYS_FILE/);
    expect(() => loadConfig({ TASKBOARD_WEBHOOK_URL: 'https://hooks.example/team' })).toThrow(ConfigError);
  });

  test.each([
    ['TASKBOARD_PORT', 'abc'],
    ['TASKBOARD_PORT', '70000'],
    ['TASKBOARD_PORT', '-1'],
    ['TASKBOARD_LOG_LEVEL', 'loud'],
    ['TASKBOARD_TRANSPORT', 'carrier-pigeon'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  test('never repeats the upstream credential in its message', () => {
    // An empty token is unset; a token is any non-empty string, so break another variable beside it.
    let message = '';
    try {
      loadConfig({ TASKBOARD_WEBHOOK_TOKEN: 's3cret-value', TASKBOARD_PORT: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('TASKBOARD_PORT');
    expect(message).not.toContain('s3cret-value');
  });
});
