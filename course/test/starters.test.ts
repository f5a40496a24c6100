import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import meta from '../../checks/02-first-server/lesson.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { resetLesson } from '../commands/reset.js';
import { shippedStarters } from '../starters.js';
import { makeCheckout } from './sandbox.js';

const SLUG = '02-first-server';
const SERVER = `lessons/${SLUG}/src/server.ts`;

/**
 * A small course in git: lesson 02's starter, solution and lesson.ts, committed as "the course",
 * optionally in a subfolder of the repository. Returns the course folder and a git helper.
 */
function gitCourse({ subfolder = '' } = {}) {
  const { root: repo, stateDir } = makeCheckout({});
  const course = join(repo, subfolder);
  cpSync(join(COURSE_ROOT, 'lessons', SLUG), join(course, 'lessons', SLUG), { recursive: true });
  cpSync(join(COURSE_ROOT, 'solutions', SLUG), join(course, 'solutions', SLUG), { recursive: true });
  mkdirSync(join(course, 'checks', SLUG), { recursive: true });
  cpSync(join(COURSE_ROOT, 'checks', SLUG, 'lesson.ts'), join(course, 'checks', SLUG, 'lesson.ts'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: course, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q'], { cwd: repo });
  git('add', '-A', '.');
  git('commit', '-qm', 'the course');
  const starter = readFileSync(join(course, SERVER), 'utf8');
  const solution = readFileSync(join(course, 'solutions', SLUG, 'src/server.ts'), 'utf8');
  return { course, stateDir, git, starter, solution };
}

describe('issue 7 item 6: reset finds the course starter, or refuses and touches nothing', () => {
  test('with no recorded base it refuses instead of restoring the last commit', () => {
    const { course, stateDir, git, solution } = gitCourse();
    writeFileSync(join(course, SERVER), solution);
    git('commit', '-qam', 'my work');
    expect(() => resetLesson(meta, { root: course, stateDir })).toThrow(/was not recorded/);
    expect(readFileSync(join(course, SERVER), 'utf8')).toBe(solution);
  });

  test('a garbled base is refused', () => {
    const { course, stateDir } = gitCourse();
    writeFileSync(join(stateDir, 'base'), 'no-such-commit\n');
    expect(() => resetLesson(meta, { root: course, stateDir })).toThrow(/not a commit of this repository/);
  });

  test("a base that holds the student's work (a clone of their own repository) is refused", () => {
    const { course, stateDir, git, solution } = gitCourse();
    writeFileSync(join(course, SERVER), solution);
    git('commit', '-qam', 'my finished lesson');
    writeFileSync(join(stateDir, 'base'), git('rev-parse', 'HEAD'));
    writeFileSync(join(course, SERVER), '// started again\n');
    expect(() => resetLesson(meta, { root: course, stateDir })).toThrow(/not the course's own commit/);
    expect(readFileSync(join(course, SERVER), 'utf8')).toBe('// started again\n');
  });

  test('a course in a subfolder of another repository resets, and the lesson starts over', () => {
    const { course, stateDir, git, starter, solution } = gitCourse({ subfolder: 'courses/mcp' });
    writeFileSync(join(stateDir, 'base'), git('rev-parse', 'HEAD'));
    writeFileSync(join(course, SERVER), solution);
    git('commit', '-qam', 'my work');
    const done = { passed: 3, total: 3, steps: {}, checkedAt: new Date().toISOString() };
    writeFileSync(join(stateDir, 'progress.json'), JSON.stringify({ lessons: { [SLUG]: done, other: done }, hints: { [SLUG]: { '1': 2 } } }));
    const { backup } = resetLesson(meta, { root: course, stateDir });
    expect(readFileSync(join(course, SERVER), 'utf8')).toBe(starter);
    expect(existsSync(join(backup!, 'src/server.ts'))).toBe(true);
    const progress = JSON.parse(readFileSync(join(stateDir, 'progress.json'), 'utf8')) as { lessons: object; hints: object };
    expect(Object.keys(progress.lessons)).toEqual(['other']);
    expect(progress.hints).toEqual({});
  });
});

describe("issue 7 item 4: verify checks the starters as shipped, not the student's work", () => {
  test("a student's finished lesson is verified from the course's commit, and left alone", () => {
    const { course, stateDir, git, starter, solution } = gitCourse();
    const baseFile = join(stateDir, 'base');
    writeFileSync(baseFile, git('rev-parse', 'HEAD'));
    writeFileSync(join(course, SERVER), solution);
    git('commit', '-qam', 'my work');
    const tree = shippedStarters([meta], { course, baseFile });
    try {
      expect(readFileSync(join(tree.root, SERVER), 'utf8')).toBe(starter);
      expect(tree.notes.join('\n')).toContain(`lessons/${SLUG}/ differs from the course's commit`);
      expect(readFileSync(join(course, SERVER), 'utf8')).toBe(solution);
    } finally {
      tree.dispose();
    }
  });

  test("an author changing the lesson's checks verifies the starter being written (the working tree)", () => {
    const { course, stateDir, git } = gitCourse();
    const baseFile = join(stateDir, 'base');
    writeFileSync(baseFile, git('rev-parse', 'HEAD'));
    writeFileSync(join(course, SERVER), '// a new starter\n');
    writeFileSync(join(course, 'checks', SLUG, 'lesson.ts'), '// changed checks\n');
    const tree = shippedStarters([meta], { course, baseFile });
    try {
      expect(readFileSync(join(tree.root, SERVER), 'utf8')).toBe('// a new starter\n');
    } finally {
      tree.dispose();
    }
  });
});
