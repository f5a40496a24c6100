import { describe, expect, test } from 'vitest';
import { matches, mutationDir, parseEquivalents, stepFiles, readReport, score, strykerOptions, vitestConfigSource, type Mutant } from '../mutate/mutation.js';
import { runCli } from './sandbox.js';

const LESSON = { slug: '02-first-server' };

const EQUIVALENTS = `# Lesson 02: equivalent mutants

Some prose that is not an entry.

- \`src/server.ts:62\` StringLiteral \`""\`: the separator is never shown when the list is empty
- \`src/main.ts:8\` StringLiteral: the start-up line on stderr is free text
- src/server.ts:97 ConditionalExpression \`true\`: both branches answer the same for every input the README allows
- \`src/server.ts:70\` StringLiteral \`"Stryker was…\`: prefix match
- \`src/server.ts:12\` StringLiteral
- \`src/server.ts:13\` StringLiteral:
`;

const mutant = (over: Partial<Mutant>): Mutant => ({ id: '1', file: 'src/server.ts', line: 62, column: 5, mutator: 'StringLiteral', replacement: '""', status: 'Survived', ...over });

describe('equivalent-mutants.md', () => {
  test('entries are file:line, mutator, an optional replacement, and a reason; bad entries are reported', () => {
    const { entries, malformed } = parseEquivalents(EQUIVALENTS);
    expect(entries).toEqual([
      expect.objectContaining({ file: 'src/server.ts', line: 62, mutator: 'StringLiteral', replacement: '""', reason: 'the separator is never shown when the list is empty', where: 'equivalent-mutants.md:5' }),
      expect.objectContaining({ file: 'src/main.ts', line: 8, mutator: 'StringLiteral', reason: 'the start-up line on stderr is free text' }),
      expect.objectContaining({ file: 'src/server.ts', line: 97, mutator: 'ConditionalExpression', replacement: 'true' }),
      expect.objectContaining({ file: 'src/server.ts', line: 70, replacement: '"Stryker was…' }),
    ]);
    expect(entries[1]).not.toHaveProperty('replacement');
    expect(malformed).toHaveLength(2); // no reason: an entry must say why
    expect(malformed[0]).toContain('equivalent-mutants.md:9');
  });

  test('an entry matches by file, line and mutator; a replacement narrows; a trailing … matches a prefix', () => {
    const [withReplacement, any, , prefix] = parseEquivalents(EQUIVALENTS).entries;
    expect(matches(withReplacement!, mutant({}))).toBe(true);
    expect(matches(withReplacement!, mutant({ replacement: '"Stryker was here!"' }))).toBe(false);
    expect(matches(withReplacement!, mutant({ line: 63 }))).toBe(false);
    expect(matches(withReplacement!, mutant({ mutator: 'LogicalOperator' }))).toBe(false);
    expect(matches(any!, mutant({ file: 'src/main.ts', line: 8, replacement: '"anything"' }))).toBe(true);
    expect(matches(prefix!, mutant({ line: 70, replacement: '"Stryker was here!"' }))).toBe(true);
  });
});

describe('score', () => {
  test("Stryker's score, and the score over the mutants not listed as equivalent; stale entries", () => {
    const { entries } = parseEquivalents(EQUIVALENTS);
    const mutants = [
      ...Array.from({ length: 16 }, (_, i) => mutant({ id: `k${i}`, status: 'Killed', line: 200 + i })),
      mutant({ id: 't', status: 'Timeout', line: 300 }),
      mutant({ id: 'eq1', status: 'Survived' }), // line 62 "": equivalent
      mutant({ id: 'eq2', status: 'NoCoverage', file: 'src/main.ts', line: 8 }), // equivalent
      mutant({ id: 's', status: 'Survived', line: 5 }), // a missing check
      mutant({ id: 'c', status: 'CompileError', line: 6 }),
    ];
    const s = score(mutants, entries);
    expect(s).toMatchObject({ total: 21, detected: 17, invalid: 1 });
    expect(s.score).toBe(85); // 17 / 20
    expect(s.adjusted).toBe(94.44); // 17 / 18, floored to 2 decimals
    expect(s.survivors.map((m) => m.id)).toEqual(['s']);
    expect(s.equivalent.map((e) => e.mutant.id)).toEqual(['eq1', 'eq2']);
    expect(s.stale.map((e) => e.line)).toEqual([97, 70]);
  });

  test('no undetected mutant is 100%', () => {
    expect(score([mutant({ status: 'Killed' })], []).adjusted).toBe(100);
  });
});

describe("Stryker's report and options", () => {
  test('the JSON report gives mutants with paths relative to the lesson folder', () => {
    const json = JSON.stringify({
      schemaVersion: '2',
      files: {
        'solutions/02-first-server/src/server.ts': {
          language: 'typescript',
          source: '',
          mutants: [{ id: '7', mutatorName: 'EqualityOperator', replacement: 'a !== b', status: 'Survived', location: { start: { line: 4, column: 9 }, end: { line: 4, column: 16 } } }],
        },
      },
    });
    expect(readReport(json, LESSON)).toEqual([{ id: '7', file: 'src/server.ts', line: 4, column: 9, mutator: 'EqualityOperator', replacement: 'a !== b', status: 'Survived' }]);
  });

  test("a run mutates the lesson's solution (its steps' files, or all of src/) with the lesson's checks only, every check for every mutant", () => {
    const options = strykerOptions(LESSON, { concurrency: 2, vitestConfig: '/x/vitest.config.mjs', jsonReport: '/x/m.json', htmlReport: '/x/m.html', runDir: mutationDir(LESSON) });
    expect(options).toMatchObject({
      testRunner: 'vitest',
      mutate: ['solutions/02-first-server/src/**/*.ts'],
      coverageAnalysis: 'off',
      concurrency: 2,
      vitest: { configFile: '/x/vitest.config.mjs', related: false },
      tempDirName: '.scratch/mutation/02-first-server/stryker',
      symlinkNodeModules: false,
      ignorePatterns: expect.arrayContaining(['/*', '!/checks/harness', '!/checks/02-first-server', '!/solutions/02-first-server', '!/course/mutate']),
    });
    const steps = strykerOptions(LESSON, { concurrency: 1, vitestConfig: '/x/v.mjs', jsonReport: '/x/m.json', htmlReport: '/x/m.html', runDir: '/x', files: stepFiles({ steps: [{ file: 'src/server.ts' }, { file: 'src/main.ts' }, { file: 'src/server.ts' }] as never }) });
    expect(steps.mutate).toEqual(['solutions/02-first-server/src/main.ts', 'solutions/02-first-server/src/server.ts']);
    const source = vitestConfigSource(LESSON);
    expect(source).toContain('"checks/02-first-server/**/*.test.ts"');
    expect(source).toContain('"COURSE_TARGET": "solutions"');
    expect(source).toContain('course/mutate/setup.ts');
    expect(source).toContain('"pool": "threads"');
  });

  test('npm run mutate without a lesson, or with a bad --concurrency, is a usage error', async () => {
    expect((await runCli(['mutate'])).code).toBe(2);
    const bad = await runCli(['mutate', '2', '--concurrency', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency must be a whole number');
  });
});
