import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { loadLessons } from '../lessons.js';
import { lessonRequirements } from '../requirements.js';
import type { CheckOutcome, RunOutcome } from '../run-checks.js';
import { checksNaming, judgeVariant, listVariants, parseVariantHeader, runCorpus, type Variant } from '../variants.js';
import { runCli } from './sandbox.js';

const bug = (caughtBy: string[]): Variant => ({ name: 'bug-x', file: '/x/bug-x.patch', kind: 'bug', why: 'x', caughtBy });
const ok: Variant = { name: 'ok-x', file: '/x/ok-x.patch', kind: 'ok', why: 'x', caughtBy: [] };
const check = (name: string, state: CheckOutcome['state']): CheckOutcome => ({ lesson: '03-x', file: 'checks/03-x/a.test.ts', step: 3, requirements: [], name, state, errors: [] }) as unknown as CheckOutcome;
const run = (...checks: CheckOutcome[]): RunOutcome => ({ checks, crashes: [] });

describe('the variant format', () => {
  test('header lines before the diff give Why and the Caught-by ids', () => {
    const text = 'Why: list_tasks ignores the status filter\nCaught-by: R3.2, R3.4\n--- a/src/server.ts\n+++ b/src/server.ts\n@@ -1 +1 @@\n-Caught-by: R9.9\n+x\n';
    expect(parseVariantHeader(text)).toEqual({ why: 'list_tasks ignores the status filter', caughtBy: ['R3.2', 'R3.4'] });
    expect(parseVariantHeader('--- a/x\n+++ b/x\n')).toEqual({ why: '', caughtBy: [] });
  });

  test('a Caught-by pattern selects exactly the checks whose id prefix names one of the ids', () => {
    const p = checksNaming(['R3.2', 'R-TOOLS-3']);
    expect(p.test('Step 3: Filter (src/server.ts) > R3.2: filters')).toBe(true);
    expect(p.test('Step 3: Filter (src/server.ts) > R3.1, R3.2: lists and filters')).toBe(true);
    expect(p.test('Step 3: Filter (src/server.ts) > R-TOOLS-3, R-TOOLS-4: tools')).toBe(true);
    expect(p.test('Step 3: Filter (src/server.ts) > R3.21: another')).toBe(false);
    expect(p.test('Step 3: Filter (src/server.ts) > R3.1: mentions R3.2: in passing')).toBe(false);
    expect(p.test('Step 3: Filter (src/server.ts) > R3.1: lists')).toBe(false);
    expect(p.test('R3.2: at the top level')).toBe(true);
  });
});

describe('verdicts', () => {
  test('an ok- variant is right only when every check passes', () => {
    expect(judgeVariant(ok, run(check('R3.1: a', 'passed'))).right).toBe(true);
    const wrong = judgeVariant(ok, run(check('R3.1: a', 'passed'), check('R3.2: b', 'failed')));
    expect(wrong).toMatchObject({ right: false, failingIds: ['R3.2'] });
    expect(wrong.problem).toContain('a correct variant fails: R3.2: b');
    expect(judgeVariant(ok, { checks: [check('R3.1: a', 'passed')], crashes: [{ file: 'checks/03-x/a.test.ts', name: 'SyntaxError', message: '' }] }).right).toBe(false);
  });

  test('a bug- variant is right only when a failing check names one of its Caught-by ids', () => {
    expect(judgeVariant(bug(['R3.2']), run(check('R3.1, R3.2: a', 'failed'))).right).toBe(true);
    expect(judgeVariant(bug(['R3.2']), run(check('R3.1: a', 'passed'))).problem).toMatch(/^not caught/);
    expect(judgeVariant(bug(['R3.2']), run(check('R3.1: a', 'failed'), check('R3.2: b', 'passed'))).problem).toBe('caught, but not by R3.2: failing R3.1');
    expect(judgeVariant(bug([]), run(check('R3.1: a', 'failed'))).problem).toMatch(/needs a "Caught-by/);
    expect(judgeVariant(bug(['R3.9']), run(check('R3.9: a', 'failed')), new Set(['R3.1'])).problem).toMatch(/Caught-by names R3\.9, which the README does not define/);
    expect(judgeVariant(bug(['R3.2']), run()).problem).toBe('no checks ran');
  });
});

/**
 * One warm runner, many staged targets: the corpus of lesson 01, made up here so the test does
 * not depend on the lesson's own corpus: a correct variant, a bug, a stale patch, and the correct variant again last (the runner is not stuck on an earlier target).
 */
describe('runCorpus on a warm runner (lesson 01)', () => {
  const SLUG = '01-architecture';
  let lesson: LessonMeta;
  let dir: string;
  const server = readFileSync(join(COURSE_ROOT, 'solutions', SLUG, 'src', 'server.ts'), 'utf8');

  function patch(name: string, header: string, from: string, to: string): Variant {
    const a = join(dir, 'a.ts');
    const b = join(dir, 'b.ts');
    writeFileSync(a, from);
    writeFileSync(b, to);
    const diff = spawnSync('diff', ['-u', '--label', 'a/src/server.ts', '--label', 'b/src/server.ts', a, b], { encoding: 'utf8' }).stdout;
    const file = join(dir, 'variants', `${name}.patch`);
    writeFileSync(file, `${header}${diff}`);
    return { name, file, kind: name.startsWith('ok-') ? 'ok' : 'bug', ...parseVariantHeader(header) };
  }

  beforeAll(async () => {
    lesson = (await loadLessons()).find((l) => l.slug === SLUG)!;
    dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    mkdirSync(join(dir, 'variants'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('each variant gets its own verdict', async () => {
    const ids = lessonRequirements(lesson, COURSE_ROOT, 'solutions').map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const broken = `throw new Error('a student broke the module');\n${server}`;
    const corpus = [
      patch('ok-comment', 'Why: a comment\n', server, `// my own words\n${server}`),
      patch('bug-throws', `Why: server.ts throws when loaded\nCaught-by: ${ids.join(', ')}\n`, server, broken),
      patch('bug-stale', 'Why: against old code\nCaught-by: R1.1\n', `old code\n${server}`, `new code\n${server}`),
      patch('ok-comment-again', 'Why: a comment\n', server, `// my own words\n${server}`),
    ];
    const verdicts = await runCorpus(lesson, corpus);
    const by = Object.fromEntries(verdicts.map((v) => [v.variant.name, v]));
    expect(by['ok-comment']).toMatchObject({ right: true, failing: [] });
    expect(by['bug-throws']!.right).toBe(true);
    expect(by['bug-throws']!.failingIds.length).toBeGreaterThan(0);
    expect(by['bug-stale']!.right).toBe(false);
    expect(by['bug-stale']!.problem).toMatch(/does not apply/);
    expect(by['ok-comment-again']).toMatchObject({ right: true, failing: [] });
  });

  test('listVariants reads a corpus folder: ok- first, names narrow, an unknown name is an error', () => {
    const fake = join(dir, 'checks');
    mkdirSync(join(fake, SLUG, 'variants'), { recursive: true });
    writeFileSync(join(fake, SLUG, 'variants', 'bug-a.patch'), 'Why: a\nCaught-by: R1.1\n--- a/x\n+++ b/x\n');
    writeFileSync(join(fake, SLUG, 'variants', 'ok-b.patch'), 'Why: b\n--- a/x\n+++ b/x\n');
    writeFileSync(join(fake, SLUG, 'variants', 'notes.md'), 'not a variant');
    expect(listVariants({ slug: SLUG }, [], fake).map((v) => [v.name, v.kind, v.caughtBy])).toEqual([
      ['ok-b', 'ok', []],
      ['bug-a', 'bug', ['R1.1']],
    ]);
    expect(listVariants({ slug: SLUG }, ['bug-a.patch'], fake).map((v) => v.name)).toEqual(['bug-a']);
    expect(() => listVariants({ slug: SLUG }, ['bug-zz'], fake)).toThrow(/No variant bug-zz/);
  });
});

describe('npm run variants', () => {
  test('an unknown variant or lesson is a usage error (exit 2); -h explains', async () => {
    const unknown = await runCli(['variants', '1', 'bug-does-not-exist']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No variant bug-does-not-exist');
    expect((await runCli(['variants', '42'])).code).toBe(2);
    const help = await runCli(['variants', '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('variants');
  });
});
