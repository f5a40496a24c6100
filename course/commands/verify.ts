import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { listFiles } from '../files.js';
import { findLesson, lessonPath } from '../lessons.js';
import { parseCommandArgs } from '../args.js';
import { shippedStarters } from '../starters.js';
import { CheckRunner, isTeaching, type CheckOutcome, type RunOutcome } from '../run-checks.js';
import { lessonRequirements, trace, type Traceability } from '../requirements.js';
import { closeRunners, corpusRunners, listVariants, runCorpus, type VariantVerdict } from '../variants.js';
import { crashesOf } from '../report.js';
import { indent, mark, paint, table } from '../ui.js';

interface LessonVerdict {
  lesson: LessonMeta;
  checks: number;
  solutionPasses: boolean;
  starterFails: boolean;
  teaching: boolean;
  mirror: boolean;
  todos: boolean;
  /** README requirement ids against check names (course/requirements.ts). */
  trace: Traceability;
  /** The variant corpus's verdicts (course/variants.ts); empty when the lesson has none yet. */
  corpus: VariantVerdict[];
  problems: string[];
}

export const VERIFY_USAGE = `Usage: npm run verify -- [N…] [--worktree]

  N…           the lessons (default: all)
  --worktree   verify the starters in lessons/ as they are (authors editing a starter); by default
               a starter comes from the course's commit recorded at \`npm install\` unless its
               lesson's checks or solution changed since`;

/**
 * `npm run verify`: what an instructor needs to trust the course. For every lesson: each check
 * passes on the solution; each check fails on the untouched starter, with a teaching failure
 * (never a crash of the harness); the two trees hold the same files; every step has its TODO
 * in the starter and its hints; and everything type-checks. Exit 1 on any breach.
 */
export async function verify(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, VERIFY_USAGE, { worktree: { type: 'boolean', default: false } }, Infinity);
  const chosen = positionals.length ? positionals.map((a) => findLesson(lessons, a)) : [...lessons];
  const typecheck = runTypecheck(); // in parallel with the check runs: it is a separate process
  const onSolutions = await runAll('solutions', chosen);
  // The starters as shipped, not as a student has edited them (course/starters.ts).
  const starters = shippedStarters(chosen, { worktree: values.worktree });
  process.once('exit', () => starters.dispose());
  const onStarters = await runAll(starters.root, chosen);
  const corpora = await runCorpora(chosen);
  const types = await typecheck;

  const verdicts = chosen.map((lesson) => withCorpus(judge(lesson, onSolutions, onStarters, starters.root), corpora.get(lesson.slug) ?? []));
  const rows = [['', 'lesson', 'checks', 'solution passes', 'starter fails', 'teaching failures', 'trees mirror', 'TODOs + hints', 'requirements', 'variants'].map((h) => paint('bold', h))];
  const yes = (ok: boolean) => (ok ? mark.pass() : mark.fail());
  for (const v of verdicts) {
    const ok = v.problems.length === 0;
    rows.push([yes(ok), `${String(v.lesson.number).padStart(2, '0')} ${v.lesson.title}`, String(v.checks), yes(v.solutionPasses), yes(v.starterFails), yes(v.teaching), yes(v.mirror), yes(v.todos), traced(v.trace), corpusCell(v.corpus)]);
  }
  console.log(table(rows));
  for (const note of starters.notes) console.log(paint('gray', `(${note})`));
  console.log(`\n${yes(types.ok)} type-check of lessons, solutions, checks and runner (tsc --noEmit)`);
  for (const v of verdicts.filter((x) => x.problems.length)) {
    console.log(paint('red', `\nLesson ${v.lesson.number}:`));
    for (const p of v.problems) console.log(indent(p, '  - '));
  }
  if (!types.ok) console.log(paint('red', `\nType errors:\n${indent(types.output.trim(), '  ')}`));

  const all = [...onSolutions.checks, ...onStarters.checks];
  const failed = verdicts.filter((v) => v.problems.length).length + (types.ok ? 0 : 1);
  console.log(`\nverify: ${verdicts.length - verdicts.filter((v) => v.problems.length).length} of ${verdicts.length} lessons sound; ${all.length} check runs`);
  console.log(`${verdicts.length + 1 - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function runAll(target: string, lessons: readonly LessonMeta[]): Promise<RunOutcome> {
  const runner = await CheckRunner.create({ target });
  try {
    return await runner.run(lessons);
  } finally {
    await runner.close();
  }
}

function judge(lesson: LessonMeta, onSolutions: RunOutcome, onStarters: RunOutcome, startersRoot: string): LessonVerdict {
  const problems: string[] = [];
  const mine = (o: RunOutcome) => o.checks.filter((c) => c.lesson === lesson.slug);
  const solution = mine(onSolutions);
  const starter = mine(onStarters);
  const show = (c: CheckOutcome) => `${c.file} › ${c.name}`;

  if (solution.length === 0) problems.push('no checks found');
  for (const c of solution.filter((c) => c.state !== 'passed')) {
    problems.push(`fails on the solution: ${show(c)}\n${indent(c.errors[0]?.message ?? '', '      ')}`);
  }
  for (const c of starter.filter((c) => c.state === 'passed')) problems.push(`passes on the untouched starter (it cannot fail): ${show(c)}`);
  const crashed = starter.filter((c) => c.state === 'failed' && !c.errors.every(isTeaching));
  for (const c of crashed) {
    const e = c.errors.find((x) => !isTeaching(x));
    problems.push(`fails on the starter by crashing, not teaching: ${show(c)}\n      ${e?.name}: ${e?.message.split('\n')[0]}`);
  }
  for (const outcome of [onSolutions, onStarters]) {
    for (const crash of crashesOf(lesson, outcome)) problems.push(`a check file crashed: ${crash.file}: ${crash.name}: ${crash.message.split('\n')[0]}`);
  }
  const stepless = solution.filter((c) => c.step === null || c.step > lesson.steps.length);
  for (const c of stepless) problems.push(`check outside any step's describe(stepTitle(…)): ${show(c)}`);
  for (let n = 1; n <= lesson.steps.length; n++) {
    if (!solution.some((c) => c.step === n)) problems.push(`step ${n} has no check of its own`);
  }

  const lessonFiles = listFiles(lessonPath('lessons', lesson, '', startersRoot));
  const solutionFiles = listFiles(lessonPath('solutions', lesson));
  const onlyLesson = lessonFiles.filter((f) => !solutionFiles.includes(f));
  const onlySolution = solutionFiles.filter((f) => !lessonFiles.includes(f));
  if (onlyLesson.length) problems.push(`only in lessons/${lesson.slug}: ${onlyLesson.join(', ')}`);
  if (onlySolution.length) problems.push(`only in solutions/${lesson.slug}: ${onlySolution.join(', ')}`);
  if (!lessonFiles.includes('README.md')) problems.push('the lesson has no README.md');

  let todos = true;
  lesson.steps.forEach((step, i) => {
    const text = safeRead(lessonPath('lessons', lesson, step.file, startersRoot));
    if (!new RegExp(`TODO ${i + 1}\\b`).test(text)) {
      todos = false;
      problems.push(`step ${i + 1}: no "TODO ${i + 1}" marker in the starter's ${step.file}`);
    }
    if (step.hints.length === 0) {
      todos = false;
      problems.push(`step ${i + 1} has no hints`);
    }
  });

  // A README without any id is a lesson not yet converted: "not yet", not a failure.
  const traced = trace(lessonRequirements(lesson), solution);
  problems.push(...traced.problems);

  return {
    lesson,
    trace: traced,
    corpus: [],
    checks: solution.length,
    solutionPasses: solution.length > 0 && solution.every((c) => c.state === 'passed'),
    starterFails: starter.length > 0 && starter.every((c) => c.state === 'failed'),
    teaching: crashed.length === 0,
    mirror: onlyLesson.length === 0 && onlySolution.length === 0,
    todos,
    problems,
  };
}

/**
 * Every lesson's variant corpus (checks/NN-slug/variants/), on two warm runners: each ok- patch
 * of the solution passes, each bug- patch fails a check of its Caught-by ids.
 */
async function runCorpora(lessons: readonly LessonMeta[]): Promise<Map<string, VariantVerdict[]>> {
  const corpora = new Map<string, VariantVerdict[]>();
  const chosen = lessons.map((lesson) => ({ lesson, variants: listVariants(lesson) })).filter((c) => c.variants.length > 0);
  if (chosen.length === 0) return corpora;
  const runners = await corpusRunners();
  try {
    for (const { lesson, variants } of chosen) corpora.set(lesson.slug, await runCorpus(lesson, variants, { runners }));
  } finally {
    await closeRunners(runners);
  }
  return corpora;
}

function withCorpus(verdict: LessonVerdict, corpus: VariantVerdict[]): LessonVerdict {
  for (const v of corpus.filter((x) => !x.right)) verdict.problems.push(`variant ${v.variant.name} gets the wrong verdict: ${v.problem}`);
  return { ...verdict, corpus };
}

/** The variants cell: "✓ 32/32" right, "none" without a corpus. */
function corpusCell(corpus: readonly VariantVerdict[]): string {
  if (corpus.length === 0) return paint('dim', 'none');
  const right = corpus.filter((v) => v.right).length;
  return `${right === corpus.length ? mark.pass() : mark.fail()} ${right}/${corpus.length}`;
}

/** The requirements cell: "12/12", "not yet" (no ids in the README yet), or a mark and the count. */
function traced(t: Traceability): string {
  if (t.status === 'not yet') return paint('dim', 'not yet');
  return `${t.status === 'ok' ? mark.pass() : mark.fail()} ${t.covered}/${t.requirements}`;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function runTypecheck(): Promise<{ ok: boolean; output: string }> {
  const tsc = join(COURSE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', join(COURSE_ROOT, 'tsconfig.json')], { cwd: COURSE_ROOT });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) => resolve({ ok: false, output: error.message }));
    child.on('exit', (code) => resolve({ ok: code === 0, output }));
  });
}
