import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT } from '../../common/paths.js';
import { StagingError } from '../../common/staging.js';
import { UsageError } from '../errors.js';
import { findLesson } from '../lessons.js';
import { indent, mark, paint, table } from '../ui.js';
import { listVariants, runCorpus, variantsDir, type VariantVerdict } from '../variants.js';

export const VARIANTS_USAGE = `Usage: npm run variants -- N [name…] [--all] [--lanes K]

Applies each patch of checks/NN-slug/variants/ to a scratch copy of lesson N's solution and runs
the lesson's checks against it: an ok- variant must pass every check; a bug- variant must fail
a check of a requirement its Caught-by: line names. Names (bug-x or bug-x.patch) narrow the run.
A bug- variant runs only the checks of its Caught-by ids (all of them with --all, which also
lists every failing check). --lanes: variants run side by side (default 2, both cores).
Exit 1 when a variant gets the wrong verdict.`;

/** `npm run variants -- N [name…]`: an instructor's proof that a lesson's checks tell right from wrong. */
export async function variants(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    console.log(VARIANTS_USAGE);
    return 0;
  }
  const lesson = findLesson(lessons, positionals[0]);
  let corpus;
  try {
    corpus = listVariants(lesson, positionals.slice(1));
  } catch (error) {
    if (error instanceof StagingError) throw new UsageError(error.message);
    throw error;
  }
  if (corpus.length === 0) {
    console.log(`Lesson ${lesson.number} has no variants yet (${relative(COURSE_ROOT, variantsDir(lesson))}/ok-*.patch, bug-*.patch; see checks/AUTHORING.md).`);
    return 0;
  }
  const started = performance.now();
  console.log(paint('dim', `Lesson ${lesson.number}: ${corpus.length} variants…`));
  const verdicts = await runCorpus(lesson, corpus, {
    focus: !values.all,
    lanes: lanes(values.lanes),
    onVerdict: (v, ms) => console.log(paint('dim', `  ${v.right ? '✓' : '✗'} ${v.variant.name} (${(ms / 1000).toFixed(1)} s)`)),
  });
  console.log(`\n${variantTable(verdicts)}`);
  const wrong = verdicts.filter((v) => !v.right);
  for (const v of wrong) console.log(paint('red', `\n${v.variant.name}: ${v.problem}`) + (v.variant.why ? `\n${indent(`(${v.variant.why})`, '  ')}` : ''));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nvariants: ${verdicts.length - wrong.length} of ${verdicts.length} right (lesson ${lesson.number}, ${seconds} s)`);
  return wrong.length === 0 ? 0 : 1;
}

/** The verdict table: variant, what it expects, the ids of the failing checks, the verdict. */
export function variantTable(verdicts: readonly VariantVerdict[]): string {
  const rows = [['', 'variant', 'expected', 'failing checks', 'verdict'].map((h) => paint('bold', h))];
  for (const v of verdicts) {
    const expected = v.variant.kind === 'ok' ? 'pass' : `fail ${v.variant.caughtBy.join(', ') || '?'}`;
    const failing = v.failingIds.length ? v.failingIds.join(', ') : v.failing.length ? `${v.failing.length} (no ids)` : '—';
    const verdict = v.right ? 'right' : v.problem?.startsWith('The patch') ? 'does not apply' : 'WRONG';
    rows.push([v.right ? mark.pass() : mark.fail(), v.variant.name, expected, failing, verdict]);
  }
  return table(rows);
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, all: { type: 'boolean' }, lanes: { type: 'string' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${VARIANTS_USAGE}`);
  }
}

function lanes(value: string | undefined): number {
  if (value === undefined) return 2;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new UsageError(`--lanes must be a whole number from 1 to 8, not "${value}".`);
  return n;
}
