import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { UsageError } from '../errors.js';
import { findLesson } from '../lessons.js';
import { describeMutant, equivalentsFile, stepFiles, mutationDir, parseEquivalents, readReport, score, strykerOptions, vitestConfigSource, type Score } from '../mutate/mutation.js';
import { indent, paint } from '../ui.js';

export const MUTATE_USAGE = `Usage: npm run mutate -- N [--concurrency K] [--target P] [--all-files]

Runs Stryker over the files lesson N's steps have the student write (solutions/NN-slug/src/…;
--all-files: all of src/, given code too) with lesson N's checks as the test suite, then prints
the mutation score, the surviving mutants, and the score over the mutants that are not listed
in checks/NN-slug/equivalent-mutants.md. Reports (JSON, HTML) go to .scratch/mutation/NN-slug/.
--concurrency: Stryker's test processes side by side (default 2). --target: the score in % the
run must reach over non-equivalent mutants (default 90); exit 1 below it.`;

const TARGET_PERCENT = 90;

/** `npm run mutate -- N`: how many plausible changes of the solution lesson N's checks notice. */
export async function mutate(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    console.log(MUTATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`Which lesson? Give one number.\n\n${MUTATE_USAGE}`);
  const lesson = findLesson(lessons, positionals[0]);
  const concurrency = positiveInt(values.concurrency ?? '2', '--concurrency');
  const target = positiveInt(values.target ?? String(TARGET_PERCENT), '--target');

  const dir = mutationDir(lesson);
  mkdirSync(dir, { recursive: true });
  const vitestConfig = join(dir, 'vitest.config.mjs');
  const jsonReport = join(dir, 'mutation.json');
  const strykerConfig = join(dir, 'stryker.config.json');
  writeFileSync(vitestConfig, vitestConfigSource(lesson));
  writeFileSync(strykerConfig, JSON.stringify(strykerOptions(lesson, { concurrency, vitestConfig, jsonReport, htmlReport: join(dir, 'mutation.html'), runDir: dir, ...(values['all-files'] ? {} : { files: stepFiles(lesson) }) }), null, 2));

  const started = performance.now();
  const what = values['all-files'] ? 'src' : `{${stepFiles(lesson).join(',')}}`;
  console.log(paint('dim', `Lesson ${lesson.number}: Stryker over solutions/${lesson.slug}/${what}, ${concurrency} at a time (config: ${relative(COURSE_ROOT, strykerConfig)})`));
  const code = await runStryker(strykerConfig);
  const minutes = (performance.now() - started) / 60_000;
  if (code !== 0 || !existsSync(jsonReport)) {
    console.error(paint('red', `Stryker failed (exit ${code}); its log is above.`));
    return 1;
  }

  const mutants = readReport(readFileSync(jsonReport, 'utf8'), lesson);
  const file = equivalentsFile(lesson);
  const { entries, malformed } = existsSync(file) ? parseEquivalents(readFileSync(file, 'utf8'), relative(COURSE_ROOT, file)) : { entries: [], malformed: [] };
  const result = score(mutants, entries);
  console.log(`\n${report(lesson, result, malformed, target)}`);
  console.log(paint('dim', `\n${minutes.toFixed(1)} min; reports: ${relative(COURSE_ROOT, dir)}/mutation.html, mutation.json`));
  return result.adjusted >= target && malformed.length === 0 ? 0 : 1;
}

export function report(lesson: LessonMeta, s: Score, malformed: readonly string[], target: number): string {
  const lines: string[] = [];
  lines.push(paint('bold', `Lesson ${lesson.number} mutation score: ${s.score.toFixed(2)}% (${s.detected} of ${s.detected + s.survivors.length + s.equivalent.length} mutants detected; ${s.total} in all, ${s.invalid} invalid)`));
  const mark = s.adjusted >= target ? paint('green', '✓') : paint('red', '✗');
  lines.push(`${mark} over non-equivalent mutants: ${s.adjusted.toFixed(2)}% (${s.equivalent.length} equivalent, ${s.survivors.length} surviving; target ${target}%)`);
  if (s.survivors.length) {
    lines.push(`\nSurviving mutants (a missing check, or equivalent: then list it in checks/${lesson.slug}/equivalent-mutants.md with the reason):`);
    for (const m of [...s.survivors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) lines.push(`  - ${describeMutant(m)}${m.status === 'NoCoverage' ? ' (not reached by any check)' : ''}`);
  }
  if (s.stale.length) {
    lines.push(`\nEntries of equivalent-mutants.md that match no surviving mutant (remove or fix them):`);
    for (const e of s.stale) lines.push(`  - ${e.where}: \`${e.file}:${e.line}\` ${e.mutator}`);
  }
  if (malformed.length) lines.push(paint('red', `\nMalformed entries:\n${indent(malformed.join('\n'), '  - ')}`));
  return lines.join('\n');
}

function runStryker(config: string): Promise<number | null> {
  const bin = join(COURSE_ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', config], { cwd: COURSE_ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`${name} must be a whole number from 1 to 100, not "${value}".`);
  return n;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, concurrency: { type: 'string' }, target: { type: 'string' }, 'all-files': { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${MUTATE_USAGE}`);
  }
}
