import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT, tsxLoaderUrl } from '../../common/paths.js';
import { SCRATCH_DIR, stageCheckout, stagePatched, StagingError } from '../../common/staging.js';

const SLUG = '02-first-server';

/** A folder outside the course holding only `lessons/<slug>` (what a student might hand in). */
function plainFolder(withTaskboard: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'plain-'));
  cpSync(join(COURSE_ROOT, 'solutions', SLUG), join(dir, 'lessons', SLUG), { recursive: true });
  if (withTaskboard) cpSync(join(COURSE_ROOT, 'taskboard'), join(dir, 'taskboard'), { recursive: true });
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A patch in the variant format: header lines, then a unified diff relative to the lesson folder. */
function patchFile(header: string, from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'patch-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a.ts');
  const b = join(dir, 'b.ts');
  writeFileSync(a, from);
  writeFileSync(b, to);
  const diff = spawnSync('diff', ['-u', '--label', 'a/src/server.ts', '--label', 'b/src/server.ts', a, b], { encoding: 'utf8' });
  const file = join(dir, 'x.patch');
  writeFileSync(file, `${header}${diff.stdout}`);
  return file;
}

describe('stageCheckout', () => {
  test('copies lessons/ and taskboard/ into a scratch checkout inside the course, and dispose removes it', () => {
    const source = plainFolder(true);
    const staged = stageCheckout(source);
    expect(staged.root.startsWith(SCRATCH_DIR)).toBe(true);
    expect(readdirSync(join(staged.root, 'lessons'))).toEqual([SLUG]);
    expect(existsSync(join(staged.root, 'taskboard', 'index.ts'))).toBe(true);
    staged.dispose();
    staged.dispose(); // twice is fine
    expect(existsSync(staged.root)).toBe(false);
  });

  test("a folder with only lessons/ gets the course's taskboard", () => {
    using staged = stageCheckout(plainFolder(false), { slugs: [SLUG] });
    expect(readFileSync(join(staged.root, 'taskboard', 'index.ts'), 'utf8')).toBe(readFileSync(join(COURSE_ROOT, 'taskboard', 'index.ts'), 'utf8'));
  });

  test("a staged copy resolves the course's package.json and node_modules when spawned (ESM, SDK)", () => {
    using staged = stageCheckout(plainFolder(false));
    const server = join(staged.root, 'lessons', SLUG, 'src', 'server.ts');
    const run = spawnSync(process.execPath, ['--import', tsxLoaderUrl(), '--input-type=module', '-e', `const m = await import(${JSON.stringify(server)}); console.log(typeof m.createServer);`], { cwd: COURSE_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function');
  });

  test('a missing folder, lessons/ or lesson is a StagingError naming the path', () => {
    expect(() => stageCheckout('/nonexistent/course')).toThrow(/\/nonexistent\/course does not exist/);
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    onTestFinished(() => rmSync(empty, { recursive: true, force: true }));
    expect(() => stageCheckout(empty)).toThrow(StagingError);
    expect(() => stageCheckout(empty)).toThrow(/has no lessons\/ folder/);
    expect(() => stageCheckout(plainFolder(false), { slugs: ['03-advanced-tools'] })).toThrow(/has no lessons\/03-advanced-tools/);
  });
});

describe('stagePatched', () => {
  const original = readFileSync(join(COURSE_ROOT, 'solutions', SLUG, 'src', 'server.ts'), 'utf8');

  test("applies a variant patch (with Why:/Caught-by: header lines) to a copy of the solution", () => {
    const changed = `// a student's comment\n${original}`;
    using staged = stagePatched(SLUG, patchFile('Why: a comment\nCaught-by: R1.1\n', original, changed));
    expect(readFileSync(join(staged.root, 'lessons', SLUG, 'src', 'server.ts'), 'utf8')).toBe(changed);
    expect(existsSync(join(staged.root, 'taskboard', 'index.ts'))).toBe(true);
    // The solution itself is untouched.
    expect(readFileSync(join(COURSE_ROOT, 'solutions', SLUG, 'src', 'server.ts'), 'utf8')).toBe(original);
  });

  test('a patch that does not apply is a clear StagingError, and leaves no scratch folder behind', () => {
    const before = existsSync(SCRATCH_DIR) ? readdirSync(SCRATCH_DIR).length : 0;
    const stale = patchFile('Why: stale\n', `not the solution\n${original}`, `changed\n${original}`);
    expect(() => stagePatched(SLUG, stale)).toThrow(StagingError);
    expect(() => stagePatched(SLUG, stale)).toThrow(/does not apply to 02-first-server: .*patch failed: src\/server\.ts/);
    expect(existsSync(SCRATCH_DIR) ? readdirSync(SCRATCH_DIR).length : 0).toBe(before);
  });

  test('an empty or missing patch is an error, never a silent no-op', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patch-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'empty.patch'), 'Why: nothing here\n');
    expect(() => stagePatched(SLUG, join(dir, 'empty.patch'))).toThrow(/No valid patches|changed nothing/);
    expect(() => stagePatched(SLUG, join(dir, 'gone.patch'))).toThrow(/does not exist/);
    expect(() => stagePatched('99-nothing', join(dir, 'empty.patch'))).toThrow(/no solutions\/99-nothing/);
  });
});
