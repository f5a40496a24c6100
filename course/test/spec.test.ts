import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { COURSE_ROOT } from '../../common/paths.js';
import { parseSpec, SpecFormatError } from '../../checks/spec/format.js';
import { mismatch } from '../../checks/spec/match.js';
import { runCli } from './sandbox.js';

/** A scratch folder inside the course (so a copied server resolves the course's node_modules). */
function scratch(): string {
  mkdirSync(join(COURSE_ROOT, '.scratch', 'runner-tests'), { recursive: true });
  const dir = mkdtempSync(join(COURSE_ROOT, '.scratch', 'runner-tests', 'spec-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the worked example, to break. */
function crmCopy(): string {
  const dir = scratch();
  cpSync(join(COURSE_ROOT, 'examples', 'crm'), dir, { recursive: true });
  return dir;
}

const SLOW = { COURSE_ANSWER_TIMEOUT_MS: '20000' };

describe('npm run spec', () => {
  test('the worked example passes, with every requirement covered', async () => {
    const run = await runCli(['spec', 'examples/crm/SPEC.md'], SLOW, 120_000);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed/m);
    expect(run.stdout).toContain('coverage: 9 of 9 requirements have a passing check');
    expect(run.stdout).toMatch(/✓ R-DEAL-2: a lead cannot skip to won/);
    expect(run.code).toBe(0);
  });

  test('a broken behaviour fails the example of its requirement, and only that', async () => {
    const dir = crmCopy();
    const server = join(dir, 'src', 'server.ts');
    // The bug: a lead may jump straight to won.
    writeFileSync(server, readFileSync(server, 'utf8').replace("lead: ['qualified', 'lost']", "lead: ['qualified', 'won', 'lost']"));
    const run = await runCli(['spec', relative(COURSE_ROOT, join(dir, 'SPEC.md'))], SLOW, 120_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\d+ passed, 1 failed/m);
    const failing = run.stdout.split('\n').filter((l) => l.startsWith('✗'));
    expect(failing).toEqual([expect.stringMatching(/^✗ R-DEAL-2: a lead cannot skip to won/)]);
    // The message points at the example in the spec and says what came back.
    expect(run.stdout).toMatch(/SPEC\.md:\d+ \(R-DEAL-2\): when, tools\/call "move_deal" .*expected a tool error/);
    expect(run.stdout).toContain('coverage: 9 of 9'); // R-DEAL-2's other example still passes
  });

  test('a schema that differs from the spec fails the surface check of its tool', async () => {
    const dir = crmCopy();
    const server = join(dir, 'src', 'server.ts');
    // amount becomes a string, and an extra required argument appears.
    writeFileSync(server, readFileSync(server, 'utf8').replace('amount: z.number().nonnegative() }', 'amount: z.string(), owner: z.string() }'));
    const run = await runCli(['spec', relative(COURSE_ROOT, join(dir, 'SPEC.md'))], SLOW, 120_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ R-DEAL-1: tool create_deal is listed as the spec states/);
    expect(run.stdout).toContain('"amount" should be number');
    expect(run.stdout).toContain('requires "owner", which the spec does not name');
  });

  test('a malformed block is a mistake of the spec: exit 2, each named file:line, nothing run', async () => {
    const dir = scratch();
    const file = join(dir, 'SPEC.md');
    writeFileSync(
      file,
      [
        '---', // 1
        'server: node server.js', // 2
        '---', // 3
        '- **R-X-1** something', // 4
        '', // 5
        '```mcp-example', // 6
        'when:', // 7
        '  call: a', // 8
        '  read: b', // 9  both call and read: one kind only
        'then:', // 10
        '  isError: maybe', // 11 not a boolean
        '```', // 12
        '```mcp-surface', // 13
        'tools:', // 14
        '  - name: t', // 15
        '    input: { a: strin }', // 16 not a type
        '```', // 17
      ].join('\n'),
    );
    const shown = relative(COURSE_ROOT, file);
    const run = await runCli(['spec', shown]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${shown}:7:`); // the when step
    expect(run.stderr).toContain(`${shown}:11: \`mcp-example\` then.isError`);
    expect(run.stderr).toContain(`${shown}:16: \`mcp-surface\` tools[0].input.a`);
    expect(run.stdout).not.toMatch(/passed|failed/);
  });

  test('a server that never answers fails every check within the answer deadline, quoting its stderr', async () => {
    const started = Date.now();
    const hang = `node -e "console.error('thinking very hard'); process.stdin.resume()"`;
    const run = await runCli(['spec', 'examples/crm/SPEC.md', '--server', hang], { COURSE_ANSWER_TIMEOUT_MS: '1000' }, 120_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^0 passed, 21 failed/m);
    expect(run.stdout).toContain('did not answer initialize within 1 s');
    expect(run.stdout).toContain('thinking very hard');
    expect(run.stdout).toContain('coverage: 0 of 9');
    // 15 server starts (one for the listings, one per example), each given up after 1 s.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  test('bad calls are usage errors (exit 2)', async () => {
    expect((await runCli(['spec'])).stderr).toContain('Which spec?');
    const missing = await runCli(['spec', 'nowhere/SPEC.md']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere/SPEC.md: no such file');
    const help = await runCli(['spec', '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run spec -- PATH/TO/SPEC.md');
  });
});

describe('the spec format', () => {
  test('an example belongs to the requirement bullet above it, and names its line', () => {
    const spec = parseSpec(['- **R-A-1** first', '- **R-A-2** second', '```mcp-example', 'when: { call: t }', 'then: { isError: false }', '```'].join('\n'), 'S.md');
    expect(spec.examples).toEqual([expect.objectContaining({ requirement: 'R-A-2', line: 3, title: 'second…' })]);
    expect(spec.examples[0]!.when).toMatchObject({ method: 'tools/call', params: { name: 't', arguments: {} } });
  });

  test('an example above every requirement, or naming an unknown one, is a mistake', () => {
    const text = ['```mcp-example', 'when: { read: "x://y" }', 'then: {}', '```', '- **R-A-1** rule', '```mcp-example', 'requirement: R-B-1', 'when: { read: "x://y" }', 'then: {}', '```'].join('\n');
    expect(() => parseSpec(text, 'S.md')).toThrow(SpecFormatError);
    try {
      parseSpec(text, 'S.md');
    } catch (error) {
      expect((error as SpecFormatError).problems).toEqual([
        expect.stringMatching(/^S\.md:1: .*belongs to no requirement/),
        expect.stringMatching(/^S\.md:6: .*names R-B-1, which no requirement bullet/),
      ]);
    }
  });

  test('partial matching: subsets of objects, arrays in any order, operators', () => {
    expect(mismatch({ a: 1 }, { a: 1, b: 2 })).toBeUndefined();
    expect(mismatch([{ id: 2 }, { id: 1 }], [{ id: 1, x: 0 }, { id: 2 }])).toBeUndefined();
    expect(mismatch([{ id: 1 }, { id: 1 }], [{ id: 1 }])).toMatch(/no item matching/);
    expect(mismatch({ $exactly: [{ id: 1 }, { id: 2 }] }, [{ id: 2 }, { id: 1 }])).toMatch(/\[0\]\.id should be 1/);
    expect(mismatch({ a: { $absent: true } }, { b: 1 })).toBeUndefined();
    expect(mismatch({ a: { $absent: true } }, { a: 1 })).toMatch(/should be absent/);
    expect(mismatch({ a: { $length: 2 } }, { a: [1] })).toMatch(/length 2/);
    expect(mismatch({ s: { $contains: 'D-1' } }, { s: 'see D-1' })).toBeUndefined();
    expect(mismatch({ a: null }, { a: null })).toBeUndefined();
    expect(mismatch({ a: null }, {})).toMatch(/a is missing/);
  });
});
