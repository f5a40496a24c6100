import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLessons } from '../lessons.js';
import { inspectArgs } from '../commands/inspect.js';
import { makeCheckout, runCli } from './sandbox.js';

describe('issue 7 item 2: the state folder is validated once, with one line', () => {
  test('a state folder where mkdir never returns (/proc/x) is an error, not a hang', async () => {
    const run = await runCli(['check', '2'], { COURSE_STATE_DIR: '/proc/x/course' }, 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^COURSE_STATE_DIR=\/proc\/x\/course: cannot create \/proc\/x \(\w+\); point it at a folder the course may write to\.$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  test('a state folder that is a file is an error naming it', async () => {
    const { stateDir } = makeCheckout({});
    const file = join(stateDir, 'not-a-folder');
    writeFileSync(file, '');
    const run = await runCli(['hint', '1'], { COURSE_STATE_DIR: file });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} is a file, not a folder`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('issue 7 item 8: COURSE_ANSWER_TIMEOUT_MS is validated', () => {
  for (const value of ['-5', '1', 'Infinity', '3e9', 'soon']) {
    test(`${value} is refused with a clear message`, async () => {
      const run = await runCli(['check', '2'], { COURSE_ANSWER_TIMEOUT_MS: value, COURSE_TARGET: 'solutions' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`COURSE_ANSWER_TIMEOUT_MS=${value} is not a valid setting`);
      expect(run.stderr).toMatch(/whole number of ms from \d+ to \d+/);
    });
  }
});

describe('issue 12: the speed-up switches are validated', () => {
  for (const name of ['COURSE_WARM_THREADS', 'COURSE_SPARE_SERVERS']) {
    test(`${name}=yes is refused, saying what it takes`, async () => {
      const run = await runCli(['check', '2'], { [name]: 'yes', COURSE_TARGET: 'solutions' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${name}=yes is not a valid setting`);
      expect(run.stderr).toContain('1 (on) or 0 (off)');
    });
  }

  test('with both off, a lesson with stdio checks still passes on the solution', async () => {
    const run = await runCli(['check', '2'], { COURSE_WARM_THREADS: '0', COURSE_SPARE_SERVERS: '0', COURSE_TARGET: 'solutions' });
    expect(run.code, run.stdout).toBe(0);
  });
});

describe('issue 7 item 9: arguments are parsed, and every command has --help', () => {
  test('inspect finds the lesson and --solution wherever they stand', async () => {
    const lessons = await loadLessons();
    expect(inspectArgs(lessons, ['02-first-server', '--solution', '--cli'])).toEqual({ lesson: '02-first-server', solution: true, passThrough: ['--cli'] });
    expect(inspectArgs(lessons, ['--solution', '2', '--cli', '--method', 'tools/list'])).toEqual({ lesson: '2', solution: true, passThrough: ['--cli', '--method', 'tools/list'] });
    expect(inspectArgs(lessons, ['2', '--cli', '--method', 'tools/call', '--tool-name', '3'])).toMatchObject({ lesson: '2', passThrough: ['--cli', '--method', 'tools/call', '--tool-name', '3'] });
  });

  test('-h and --help answer on every command, with exit 0', async () => {
    for (const command of ['start', 'check', 'hint', 'diff', 'reset', 'progress', 'inspect', 'verify']) {
      const run = await runCli([command, command === 'check' ? '--help' : '-h']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`Usage: npm run ${command}`);
    }
  });

  test('an unknown option is a usage error', async () => {
    const run = await runCli(['check', '2', '--everything']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--everything'");
  });
});

describe('issue 7 item 15: a progress file of the wrong shape is set aside, not a crash', () => {
  for (const bad of ['{"lessons": {"02-first-server": {"passed": "x"}}}', '[1, 2]', '{"hints": {"01-architecture": 3}}', 'not json']) {
    test(`${bad.slice(0, 30)}`, async () => {
      const { stateDir } = makeCheckout({});
      writeFileSync(join(stateDir, 'progress.json'), bad);
      for (const command of [['progress'], ['hint', '1']]) {
        const run = await runCli(command, { COURSE_STATE_DIR: stateDir });
        expect(run.code, command.join(' ')).toBe(0);
        expect(run.stderr + run.stdout).not.toContain('TypeError');
      }
      const copies = readdirSync(stateDir).filter((f) => f.startsWith('progress.json.damaged-'));
      expect(copies).toHaveLength(1);
      expect(readFileSync(join(stateDir, copies[0]!), 'utf8')).toBe(bad);
    });
  }
});

describe('issue 7 item 17: a bare hint between lessons', () => {
  test('says the lesson is done and what comes next, and spends no hint', async () => {
    const { stateDir } = makeCheckout({});
    const done = { passed: 10, total: 10, steps: {}, checkedAt: new Date().toISOString() };
    writeFileSync(join(stateDir, 'progress.json'), JSON.stringify({ lessons: { '01-architecture': done }, hints: {} }));
    const run = await runCli(['hint'], { COURSE_STATE_DIR: stateDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Lesson 1 is done');
    expect(run.stdout).toMatch(/Next: lesson 2/);
    expect(run.stdout).not.toContain('Hint 1 of');
    const progress = JSON.parse(readFileSync(join(stateDir, 'progress.json'), 'utf8')) as { hints: object };
    expect(progress.hints).toEqual({});
  });
});

describe('issue 7 item 5: an error outside any check fails the step whose check was running', () => {
  test('a throw in a timer inside a tool handler', async () => {
    const { root, stateDir } = makeCheckout({ '02-first-server': 'solutions' });
    const server = join(root, 'lessons/02-first-server/src/server.ts');
    const source = readFileSync(server, 'utf8');
    // list_tasks answers as before, and throws a moment later, from a timer nobody awaits.
    const broken = source
      .replace('async ({ project, status }) =>\n      runDomain(', "async ({ project, status }) => {\n      setTimeout(() => { throw new Error('late failure'); }, 0);\n      return runDomain(")
      .replace("        return tasks.map(describeTask).join('\\n');\n      }),", "        return tasks.map(describeTask).join('\\n');\n      });\n    },");
    expect(broken).toContain('late failure');
    expect(broken).toContain('      });\n    },');
    writeFileSync(server, broken);
    const run = await runCli(['check', '2'], { COURSE_TARGET: root, COURSE_STATE_DIR: stateDir, COURSE_ANSWER_TIMEOUT_MS: '20000' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Lesson 02, step 3 \([^)]*server\.ts\): an error was thrown outside the check's own code[^\n]*late failure/);
    expect(run.stdout).not.toContain('is done');
    const progress = JSON.parse(readFileSync(join(stateDir, 'progress.json'), 'utf8')) as { lessons: Record<string, { passed: number; total: number }> };
    const entry = progress.lessons['02-first-server']!;
    expect(entry.passed).toBeLessThan(entry.total);
    expect(existsSync(server)).toBe(true);
  });
});
