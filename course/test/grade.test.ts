import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { Grades } from '../grade/schema.js';
import { runCli } from './sandbox.js';

/** A class of synthetic checkouts (each holding only lessons/, as a student might hand in), removed afterwards. */
function makeClass(students: Record<string, (lesson: string) => void>): string {
  mkdirSync(join(COURSE_ROOT, '.course', 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(COURSE_ROOT, '.course', 'tmp', 'class-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, prepare] of Object.entries(students)) {
    const lesson = join(dir, name, 'lessons', '02-first-server');
    mkdirSync(join(dir, name, 'lessons'), { recursive: true });
    prepare(lesson);
  }
  return dir;
}

const fromSolution = (lesson: string) => cpSync(join(COURSE_ROOT, 'solutions', '02-first-server'), lesson, { recursive: true });
const fromStarter = (lesson: string) => cpSync(join(COURSE_ROOT, 'lessons', '02-first-server'), lesson, { recursive: true });

/** Processes still running from a grading run: anything whose command line names its scratch copies. */
function leftovers(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('.scratch/grade-') && !line.includes('ps -eo'));
}

describe('grade', () => {
  test('grades a class: exact totals, reports that parse, a hanging server costs only its deadlines, nothing left running', async () => {
    const dir = makeClass({
      alice: fromSolution,
      bob: fromStarter,
      carol: (lesson) => {
        // Steps 1–4 done; the stdio entry point never answers (its two checks fail on the deadline).
        fromSolution(lesson);
        writeFileSync(join(lesson, 'src/main.ts'), "process.stdin.resume();\nconsole.error('thinking very hard');\n");
      },
    });
    const out = join(dir, 'grades');
    const run = await runCli(['grade', dir, '--lessons', '2', '--out', out], {}, 180_000);
    expect(run.stderr + run.stdout).not.toContain('failed unexpectedly');
    expect(run.code).toBe(0);

    const grades = Grades.parse(JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')));
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => grades.students.find((s) => s.student === name)!);
    const all = alice!.maxPoints;
    const stdioChecks = alice!.lessons[0]!.checks.filter((c) => c.step === 5).length;
    const problems = JSON.stringify(grades.students.map((s) => s.lessons[0]!.checks.filter((c) => c.status !== 'passed').map((c) => c.message)));
    expect([alice!.points, bob!.points, carol!.points], problems).toEqual([all, 0, all - stdioChecks]);
    expect(grades.lessons[0]!.maxPoints).toBe(all);
    const failing = carol!.lessons[0]!.checks.filter((c) => c.status !== 'passed');
    expect(new Set(failing.map((c) => c.step))).toEqual(new Set([5]));
    expect(failing[0]!.message).toContain('thinking very hard'); // the teaching message, with the server's stderr
    expect(failing[0]!.message).toContain(join(dir, 'carol')); // the student's own path, not the scratch copy
    // Its stdio checks each waited one answer deadline (5 s), not the 120 s per-lesson deadline.
    expect(carol!.durationMs).toBeLessThan(90_000);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
    const suites = [junit.testsuites.testsuite].flat();
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['alice / 02-first-server', 'bob / 02-first-server', 'carol / 02-first-server']);
    expect(suites.map((s: { tests: string; failures: string }) => [Number(s.tests), Number(s.failures)])).toEqual([[all, 0], [all, all], [all, stdioChecks]]);

    const md = readFileSync(join(out, 'grades.md'), 'utf8');
    expect(md).toMatch(/\| student \| 02 Building your first server \| total \|/);
    expect(md).toContain(`[carol](#carol) | ${all - stdioChecks}/${all} | **${all - stdioChecks}/${all}**`);
    expect(leftovers()).toEqual([]);
  });

  test('a student whose code never returns is stopped at the deadline and scores 0 on the checks it kept from running', async () => {
    const dir = makeClass({
      dave: (lesson) => {
        fromSolution(lesson);
        writeFileSync(join(lesson, 'src/server.ts'), 'while (true) {}\nexport function createServer() {}\n');
      },
    });
    const out = join(dir, 'grades');
    const run = await runCli(['grade', dir, '--lessons', '2', '--out', out, '--deadline', '10'], { COURSE_ANSWER_TIMEOUT_MS: '1500' }, 120_000);
    expect(run.code).toBe(0);
    const grades = Grades.parse(JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')));
    const dave = grades.students[0]!;
    expect(dave.points).toBe(0);
    expect(dave.maxPoints).toBeGreaterThan(0);
    expect(dave.durationMs).toBeLessThan(60_000);
    expect(leftovers()).toEqual([]);
  });

  test('bad input is a usage error, not a report', async () => {
    const missing = await runCli(['grade', '/no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/no/such/folder does not exist');
    const lessons = await runCli(['grade', COURSE_ROOT, '--lessons', '42']);
    expect(lessons.code).toBe(2);
    expect(lessons.stderr).toContain('There is no lesson 42');
    const option = await runCli(['grade', COURSE_ROOT, '--lesson', '2']);
    expect(option.code).toBe(2); // an unknown option is a usage error, not a crash of the runner
    expect(option.stderr).toContain('--lesson');
    expect(option.stderr).toContain('Usage: npm run grade');
  });
});

describe('GitHub Classroom workflow', () => {
  const workflowFile = join(COURSE_ROOT, '.github', 'workflows', 'classroom.yml');

  test('parses as YAML, has one autograding test per lesson step, and reports every one of them', async () => {
    const { parse } = await import('yaml');
    const { loadLessons } = await import('../lessons.js');
    const { runnerId } = await import('../grade/classroom.js');
    const workflow = parse(readFileSync(workflowFile, 'utf8')) as { jobs: { autograding: { steps: Array<{ id?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }> } } };
    const steps = workflow.jobs.autograding.steps;
    const graders = steps.filter((s) => s.uses?.startsWith('classroom-resources/autograding-command-grader'));
    const lessons = await loadLessons();
    const expected = lessons.flatMap((l) => l.steps.map((_, i) => runnerId(l, i + 1)));
    expect(graders.map((s) => s.id), 'the workflow is stale: run `npm run classroom`').toEqual(expected);
    for (const g of graders) expect(Number(g.with?.['max-score'])).toBeGreaterThan(0);
    const reporter = steps.find((s) => s.uses?.startsWith('classroom-resources/autograding-grading-reporter'))!;
    expect(String(reporter.with?.runners).split(',')).toEqual(expected);
    expect(Object.keys(reporter.env ?? {})).toEqual(expected.map((id) => `${id.toUpperCase()}_RESULTS`));
  });

  test("a step's command, run from a student's repository, passes on finished work and fails on the starter", async () => {
    const { parse } = await import('yaml');
    const workflow = parse(readFileSync(workflowFile, 'utf8')) as { jobs: { autograding: { steps: Array<{ id?: string; with?: { command?: string } }> } } };
    const command = workflow.jobs.autograding.steps.find((s) => s.id === 'l02-s3')!.with!.command!;
    const dir = makeClass({ done: fromSolution, todo: fromStarter });
    for (const student of ['done', 'todo']) symlinkSync(COURSE_ROOT, join(dir, student, '.course-checks'));
    const args = command.replace(/^node /, '').split(' ').map((a) => (a === '.course-checks/grades' ? join(dir, 'grades') : a));
    const run = (cwd: string) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    const done = run(join(dir, 'done'));
    expect(done.status, done.stdout + done.stderr).toBe(0);
    const todo = run(join(dir, 'todo'));
    expect(todo.status, todo.stdout + todo.stderr).toBe(1);
    expect(todo.stdout).toContain('Lesson 02, step 3'); // the student sees the teaching message in the Actions log
  });
});
