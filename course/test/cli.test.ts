import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeCheckout, runCli } from './sandbox.js';

describe('bad input gets a clear message and a non-zero exit', () => {
  test('an unknown lesson number lists the lessons', async () => {
    const run = await runCli(['check', '42']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('There is no lesson "42"');
    expect(run.stderr).toMatch(/1\s+MCP server architecture/);
    expect(run.stderr).toMatch(/2\s+Building your first server/);
  });

  test('reset without a lesson number asks which lesson', async () => {
    const run = await runCli(['reset']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Which lesson?');
  });

  test('an unknown command shows the commands', async () => {
    const run = await runCli(['chek', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "chek"');
    expect(run.stderr).toContain('check [N]');
  });
});

describe('check', () => {
  test('passes on the solution and reports "N passed, 0 failed"', async () => {
    const run = await runCli(['check', '2'], { COURSE_TARGET: 'solutions' });
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(run.stdout).toContain('Lesson 2 is done');
    // issue 10: coverage by requirement, before the closing line CI reads
    expect(run.stdout).toMatch(/^requirements: (\d+) of \1 have a passing check$/m);
    expect(run.code).toBe(0);
  });

  test('issue 10: the requirement coverage names those without a passing check', async () => {
    const { root, stateDir } = makeCheckout({ '02-first-server': 'lessons' });
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir });
    expect(run.stdout).toMatch(/^requirements: 0 of (\d+) have a passing check \(not yet: R1\.1, R1\.2, .* and \d+ more\)$/m);
    expect(run.code).toBe(1);
  });

  test('a lesson file with a syntax error is reported as such, naming the file', async () => {
    const { root, stateDir } = makeCheckout({ '02-first-server': 'solutions' });
    writeFileSync(join(root, 'lessons/02-first-server/src/server.ts'), 'export function createServer( {\n  return 1;\n');
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('lessons/02-first-server/src/server.ts could not be loaded');
    expect(run.stdout).toMatch(/Syntax|Expected|Unexpected|Transform failed/i);
    expect(run.stdout).not.toMatch(/^\s+at /m); // no stack trace for the student
  });

  test('a student server that never answers fails its checks with the reason, instead of hanging', async () => {
    const { root, stateDir } = makeCheckout({ '02-first-server': 'solutions' });
    writeFileSync(join(root, 'lessons/02-first-server/src/main.ts'), "process.stdin.resume();\nconsole.error('thinking very hard');\n");
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, COURSE_ANSWER_TIMEOUT_MS: '1500' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\d+ passed, 2 failed$/m);
    expect(run.stdout).toContain('did not complete the MCP handshake');
    expect(run.stdout).toContain('thinking very hard'); // the server's stderr, quoted for the student
  });
});
