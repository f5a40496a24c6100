import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LessonMeta } from '../common/lesson-meta.js';
import { CHECKS_DIR, COURSE_ROOT } from '../common/paths.js';
import { stagePatched, StagingError } from '../common/staging.js';
import { checkIds, REQUIREMENT_ID } from '../common/requirement-ids.js';
import { lessonRequirements } from './requirements.js';
import { CheckRunner, type RunOutcome } from './run-checks.js';

/**
 * The variant corpus (checks/AUTHORING.md, "The variant corpus"): `checks/NN-slug/variants/`
 * holds patches against the solution's lesson folder. `ok-*.patch` is a correct solution
 * written differently: every check must pass. `bug-*.patch` is a plausible mistake: some check
 * must fail, and one of the failing checks must name an id of its `Caught-by:` line.
 */
export interface Variant {
  /** The file name without `.patch`: `bug-ignores-status`. */
  name: string;
  file: string;
  kind: 'ok' | 'bug';
  /** The `Why:` header line. */
  why: string;
  /** The `Caught-by:` ids (bug variants). */
  caughtBy: string[];
}

export function variantsDir(lesson: Pick<LessonMeta, 'slug'>, checksDir = CHECKS_DIR): string {
  return join(checksDir, lesson.slug, 'variants');
}

/** The header lines before the diff: `Why: …`, `Caught-by: R3.2, R3.4`. */
export function parseVariantHeader(text: string): { why: string; caughtBy: string[] } {
  const header = text.split(/^(?:---|diff --git) /m)[0] ?? '';
  const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(header)?.[1]?.trim() ?? '';
  const caughtBy = field('Caught-by')
    .split(/[\s,]+/)
    .filter(Boolean);
  return { why: field('Why'), caughtBy };
}

/** A lesson's variants, ok- first then bug-, by name; `names` narrows (with or without `.patch`). */
export function listVariants(lesson: Pick<LessonMeta, 'slug'>, names: readonly string[] = [], checksDir = CHECKS_DIR): Variant[] {
  const dir = variantsDir(lesson, checksDir);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^(ok|bug)-.+\.patch$/.test(f));
  } catch {
    files = [];
  }
  const wanted = names.map((n) => basename(n).replace(/\.patch$/, ''));
  const variants = files
    .map((f): Variant => {
      const file = join(dir, f);
      const name = f.replace(/\.patch$/, '');
      return { name, file, kind: name.startsWith('ok-') ? 'ok' : 'bug', ...parseVariantHeader(readFileSync(file, 'utf8')) };
    })
    .filter((v) => wanted.length === 0 || wanted.includes(v.name))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'ok' ? -1 : 1));
  const unknown = wanted.filter((w) => !variants.some((v) => v.name === w));
  if (unknown.length) throw new StagingError(`No variant ${unknown.join(', ')} in ${join('checks', lesson.slug, 'variants')}.`);
  return variants;
}

export interface VariantVerdict {
  variant: Variant;
  /** The failing checks' names (with their id prefix), and crashes as `file: name`. */
  failing: string[];
  /** The ids the failing checks name. */
  failingIds: string[];
  /** True when the verdict is what the variant's kind expects. */
  right: boolean;
  /** Why the verdict is wrong, or why the variant could not be run. */
  problem?: string;
}

/** Judges one variant's run: ok- must be green; bug- must fail, on a check of a Caught-by id. */
export function judgeVariant(variant: Variant, outcome: RunOutcome, known?: ReadonlySet<string>): VariantVerdict {
  const failed = outcome.checks.filter((c) => c.state === 'failed');
  const failing = [...failed.map((c) => c.name), ...outcome.crashes.map((c) => `${c.file}: ${c.name}`)];
  const failingIds = [...new Set(failed.flatMap((c) => checkIds(c.name)))].sort(byId);
  const verdict = (right: boolean, problem?: string): VariantVerdict => ({ variant, failing, failingIds, right, ...(problem ? { problem } : {}) });

  if (outcome.checks.length === 0 && outcome.crashes.length === 0) return verdict(false, 'no checks ran');
  if (variant.kind === 'ok') {
    if (failing.length === 0) return verdict(true);
    // The first failure's message, first line: enough to tell a check too strict from a broken run.
    const first = failed[0]?.errors[0]?.message ?? outcome.crashes[0]?.message ?? '';
    return verdict(false, `a correct variant fails: ${failing.join('; ')}${first ? `\n    first failure: ${first.split('\n')[0]}` : ''}`);
  }
  if (variant.caughtBy.length === 0) return verdict(false, 'a bug- variant needs a "Caught-by: R<step>.<n>" header line');
  const unknown = known && known.size > 0 ? variant.caughtBy.filter((id) => !known.has(id)) : [];
  if (unknown.length) return verdict(false, `Caught-by names ${unknown.join(', ')}, which the README does not define`);
  if (failing.length === 0) return verdict(false, `not caught: every check passes (expected a failure of ${variant.caughtBy.join(', ')})`);
  if (!failingIds.some((id) => variant.caughtBy.includes(id))) {
    return verdict(false, `caught, but not by ${variant.caughtBy.join(', ')}: failing ${failingIds.length ? failingIds.join(', ') : failing.join('; ')}`);
  }
  return verdict(true);
}

/** R2.10 after R2.9: ids in reading order. */
export function byId(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export interface CorpusOptions {
  /** Warm runners to reuse (verify's, across lessons); `lanes` are made (and closed) otherwise. */
  runners?: readonly CheckRunner[];
  /** Variants run side by side, one warm runner each (default 2: both cores). */
  lanes?: number;
  /**
   * Run a bug- variant's Caught-by checks only (the verdict needs no others): 3-4x less work
   * per bug variant. Its failing ids are then those among the Caught-by checks; a wrong verdict
   * is re-run with every check, so its row shows what did fail. ok- variants always run all.
   */
  focus?: boolean;
  /** Told after each variant, for progress output. */
  onVerdict?: (verdict: VariantVerdict, ms: number) => void;
}

/** Warm runners for a corpus run; close them with closeRunners. */
export async function corpusRunners(lanes = 2): Promise<CheckRunner[]> {
  const runners: CheckRunner[] = [];
  for (let i = 0; i < lanes; i++) runners.push(await CheckRunner.create({ target: 'solutions' }));
  return runners;
}

export async function closeRunners(runners: readonly CheckRunner[]): Promise<void> {
  await Promise.all(runners.map((r) => r.close()));
}

/**
 * Runs each variant: stage the solution with the patch (common/staging.ts), point a warm
 * runner at the staged copy, run the lesson's checks, judge. Each runner is one vitest instance
 * that serves many variants: its start-up is paid once, and each staged copy has its own paths,
 * so nothing a variant loaded is reused by the next. Runners take variants from one queue, so
 * two of them keep both cores busy even when a focused run has one check file to run.
 */
export async function runCorpus(lesson: LessonMeta, variants: readonly Variant[], { runners, lanes = 2, focus = true, onVerdict }: CorpusOptions = {}): Promise<VariantVerdict[]> {
  if (variants.length === 0) return [];
  const known = new Set(lessonRequirements(lesson, COURSE_ROOT, 'solutions').map((r) => r.id));
  const own = runners ? [] : await corpusRunners(Math.max(1, Math.min(lanes, variants.length)));
  const use = runners ?? own;
  const verdicts: VariantVerdict[] = new Array(variants.length);
  let next = 0;
  const lane = async (runner: CheckRunner): Promise<void> => {
    try {
      while (next < variants.length) {
        const i = next++;
        const started = performance.now();
        verdicts[i] = await runVariant(runner, lesson, variants[i]!, known, focus);
        onVerdict?.(verdicts[i]!, performance.now() - started);
      }
    } finally {
      runner.onlyChecksNamed(undefined);
    }
  };
  try {
    await Promise.all(use.map(lane));
  } finally {
    await closeRunners(own);
  }
  return verdicts;
}

async function runVariant(runner: CheckRunner, lesson: LessonMeta, variant: Variant, known: ReadonlySet<string>, focus: boolean): Promise<VariantVerdict> {
  try {
    using staged = stagePatched(lesson.slug, variant.file);
    runner.retarget(staged.root);
    const focused = focus && variant.kind === 'bug' && variant.caughtBy.length > 0;
    runner.onlyChecksNamed(focused ? checksNaming(variant.caughtBy) : undefined);
    const verdict = judgeVariant(variant, await runner.run([lesson]), known);
    if (!focused || verdict.right) return verdict;
    runner.onlyChecksNamed(undefined);
    return judgeVariant(variant, await runner.run([lesson]), known);
  } catch (error) {
    if (!(error instanceof StagingError)) throw error;
    return { variant, failing: [], failingIds: [], right: false, problem: error.message };
  }
}

/** A vitest test-name pattern for the checks whose name's id prefix holds one of `ids`. */
export function checksNaming(ids: readonly string[]): RegExp {
  const any = REQUIREMENT_ID;
  const wanted = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // vitest matches the full name: describe titles and the check's name, joined by " > ".
  return new RegExp(String.raw`(?:^|> )(?:${any},\s*)*(?:${wanted})(?:,\s*${any})*\s*:`);
}
