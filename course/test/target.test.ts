import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { SCRATCH_DIR } from '../../common/staging.js';
import { prepareTarget, TargetError, validateTarget } from '../../common/target.js';
import { runCli } from './sandbox.js';

const SLUG = '02-first-server';

/** A folder outside the course with only `lessons/02-first-server` (the solution): no package.json, no node_modules, no taskboard/. */
function plainFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'handed-in-'));
  cpSync(join(COURSE_ROOT, 'solutions', SLUG), join(dir, 'lessons', SLUG), { recursive: true });
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Scratch folders of staged targets (other helpers' stagings have other prefixes). */
const ownStaged = () => (existsSync(SCRATCH_DIR) ? readdirSync(SCRATCH_DIR).filter((d) => d.startsWith('target-')) : []);

describe('COURSE_TARGET is validated (issue 7, item 7)', () => {
  test('lessons and solutions are valid; a missing path, a file, a folder without lessons/ or without the lesson are TargetErrors naming the path and what is missing', () => {
    expect(validateTarget([SLUG], 'solutions').tree).toBe(join(COURSE_ROOT, 'solutions'));
    expect(validateTarget([SLUG], 'lessons').tree).toBe(join(COURSE_ROOT, 'lessons'));
    expect(() => validateTarget([SLUG], '/nonexistent/checkout')).toThrow(TargetError);
    expect(() => validateTarget([SLUG], '/nonexistent/checkout')).toThrow('/nonexistent/checkout does not exist');
    expect(() => validateTarget([SLUG], join(COURSE_ROOT, 'package.json'))).toThrow('package.json is not a folder');
    expect(() => validateTarget([SLUG], tmpdir())).toThrow(`${tmpdir()} has no lessons/ folder`);
    const older = plainFolder();
    expect(() => validateTarget(['05-prompts'], older)).toThrow(`${older} has no lessons/05-prompts`);
    expect(() => validateTarget(['99-later'], 'solutions')).toThrow('solutions/ has no solutions/99-later');
  });

  test('a bad target is an exit-2 one-line error, never "0 passed, N failed" with reset advice', async () => {
    for (const bad of ['/nonexistent/checkout', tmpdir()]) {
      const run = await runCli(['check', '2'], { COURSE_TARGET: bad });
      expect(run.code).toBe(2);
      // (Node's own warnings, e.g. about NO_COLOR next to FORCE_COLOR, are not the runner's.)
      const lines = run.stderr.trim().split('\n').filter((l) => !/^\((node:\d+|Use `node)/.test(l));
      expect(lines, run.stderr).toHaveLength(1);
      expect(run.stderr).toContain(bad);
      expect(run.stdout).not.toMatch(/passed|failed|reset/);
    }
  });

  test('an older checkout without the lesson asked for is an exit-2 error naming the lesson', async () => {
    const run = await runCli(['check', '3'], { COURSE_TARGET: plainFolder() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no lessons/03-advanced-tools');
  });
});

describe('a plain folder target (issue 6, "Target a plain folder")', () => {
  test('prepareTarget stages a path target inside the course and disposes of it; lessons/solutions are not staged', () => {
    const prepared = prepareTarget([SLUG], plainFolder());
    expect(prepared.value.startsWith(SCRATCH_DIR)).toBe(true);
    expect(existsSync(join(prepared.value, 'taskboard', 'index.ts'))).toBe(true);
    expect(prepared.shown(`${prepared.value}/lessons/${SLUG}/src/main.ts`)).toBe(`${prepared.target.root}/lessons/${SLUG}/src/main.ts`);
    prepared.dispose();
    expect(existsSync(prepared.value)).toBe(false);
    const named = prepareTarget([SLUG], 'solutions');
    expect(named.value).toBe('solutions');
  });

  test('a folder holding only lessons/ passes every check of the lesson, stdio included', async () => {
    const before = ownStaged();
    const run = await runCli(['check', '2'], { COURSE_TARGET: plainFolder(), COURSE_ANSWER_TIMEOUT_MS: '20000' });
    expect(run.stdout).toMatch(/^[1-9]\d* passed, 0 failed$/m);
    expect(run.code).toBe(0);
    expect(ownStaged().filter((d) => !before.includes(d))).toEqual([]); // the staged copy is gone
  });

  test("failure messages name the student's real folder, not the scratch copy", async () => {
    const dir = plainFolder();
    mkdirSync(join(dir, 'lessons', SLUG, 'src'), { recursive: true });
    writeFileSync(join(dir, 'lessons', SLUG, 'src', 'main.ts'), 'process.exit(3);\n');
    const run = await runCli(['check', '2'], { COURSE_TARGET: dir, COURSE_ANSWER_TIMEOUT_MS: '20000' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(join(dir, 'lessons', SLUG, 'src', 'main.ts'));
    expect(run.stdout).not.toContain('.scratch');
  });
});
