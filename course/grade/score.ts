import { stripVTControlCharacters } from 'node:util';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { checkIds } from '../../common/requirement-ids.js';
import type { CheckOutcome, RunOutcome } from '../run-checks.js';
import type { CheckGrade, LessonGrade } from './schema.js';

/** What one check is worth: 1 point, unless its lesson weights one of its requirements. */
export function pointsOf(lesson: LessonMeta, name: string): number {
  const weights = lesson.weights ?? {};
  const weighted = checkIds(name).map((id) => weights[id]).filter((w): w is number => w !== undefined);
  return weighted.length ? Math.max(...weighted) : 1;
}

const key = (c: Pick<CheckOutcome, 'file' | 'name'>) => `${c.file}\u0000${c.name}`;

/**
 * One student's lesson, scored against the catalogue (the checks as they ran on the reference
 * solution): every check of the catalogue gets a row, so a check file that crashed on the
 * student's code, or a run that was stopped, scores 0 on each of its checks instead of
 * silently shrinking the total.
 */
export function scoreLesson(lesson: LessonMeta, catalogue: RunOutcome, outcome: RunOutcome | null, whyMissing: string): LessonGrade {
  const mine = (o: RunOutcome) => o.checks.filter((c) => c.lesson === lesson.slug);
  const got = new Map(outcome ? mine(outcome).map((c) => [key(c), c]) : []);
  const crashes = outcome?.crashes.filter((c) => c.file.includes(lesson.slug) || c.file === '(unhandled)') ?? [];
  const checks: CheckGrade[] = mine(catalogue).map((expected) => {
    const maxPoints = pointsOf(lesson, expected.name);
    const row = got.get(key(expected));
    const base = { step: expected.step, check: expected.name, file: expected.file, requirements: checkIds(expected.name), maxPoints };
    if (!row || row.state === 'skipped') {
      const crash = crashes.find((c) => c.file === expected.file) ?? crashes[0];
      const message = crash ? `${crash.name}: ${crash.message}` : whyMissing;
      return { ...base, points: 0, status: 'error', message: clean(message), durationMs: 0 };
    }
    const passed = row.state === 'passed';
    return {
      ...base,
      points: passed ? maxPoints : 0,
      status: passed ? 'passed' : 'failed',
      message: passed ? '' : clean(row.errors.map((e) => e.message).join('\n') || 'failed without a message'),
      durationMs: Math.round(row.durationMs ?? 0),
    };
  });
  return {
    lesson: lesson.number,
    slug: lesson.slug,
    title: lesson.title,
    points: checks.reduce((sum, c) => sum + c.points, 0),
    maxPoints: checks.reduce((sum, c) => sum + c.maxPoints, 0),
    checks,
  };
}

function clean(message: string): string {
  return stripVTControlCharacters(message).replace(/ \/\/ Object\.is equality$/, '').trim();
}
