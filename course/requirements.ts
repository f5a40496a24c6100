import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonMeta } from '../common/lesson-meta.js';
import { COURSE_ROOT } from '../common/paths.js';
import { checkIds, REQUIREMENT_ID } from '../common/requirement-ids.js';

/**
 * Requirement traceability (checks/AUTHORING.md, "Requirements and their ids"): every
 * requirement a lesson README lists has a check, and every check names the requirements it
 * proves. Ids are `R<step>.<n>` (lessons 01–07) or `R-<AREA>-<n>` (the capstone's SPEC.md).
 */

const ID = REQUIREMENT_ID;
/** A requirement bullet: `- **R3.2** text…` (also `*`, and `**R3.2:**`/`**R3.2**:` for leniency). */
const BULLET = new RegExp(String.raw`^\s*[-*]\s+\*\*(${ID}):?\*\*:?\s*(.*)$`);

export interface Requirement {
  id: string;
  /** The bullet's first line, for messages. */
  text: string;
  /** Where it is written: `README.md:185`. */
  where: string;
}

/** The requirement bullets of a Markdown text, in order. */
export function parseRequirements(markdown: string, file = 'README.md'): Requirement[] {
  const found: Requirement[] = [];
  markdown.split('\n').forEach((line, i) => {
    const m = BULLET.exec(line);
    if (m) found.push({ id: m[1]!, text: m[2]!.trim(), where: `${file}:${i + 1}` });
  });
  return found;
}


/** The requirements a lesson defines: its README's bullets, and a SPEC.md's when it has one (the capstone). */
export function lessonRequirements(lesson: Pick<LessonMeta, 'slug'>, root = COURSE_ROOT, tree = 'lessons'): Requirement[] {
  const dir = join(root, tree, lesson.slug);
  return ['README.md', 'SPEC.md'].flatMap((file) => {
    try {
      return parseRequirements(readFileSync(join(dir, file), 'utf8'), `${tree}/${lesson.slug}/${file}`);
    } catch {
      return [];
    }
  });
}

/** Which requirements have a passing check, which only failing ones, which none (by the ids check names start with). */
export function requirementCoverage<R extends { id: string }>(requirements: readonly R[], checks: ReadonlyArray<{ name: string; state: string }>) {
  const states = new Map<string, string[]>();
  for (const check of checks) for (const id of checkIds(check.name)) states.set(id, [...(states.get(id) ?? []), check.state]);
  const covered = requirements.filter((r) => states.get(r.id)?.includes('passed'));
  const failing = requirements.filter((r) => states.has(r.id) && !covered.includes(r));
  const unchecked = requirements.filter((r) => !states.has(r.id));
  return { covered, failing, unchecked };
}

export interface NamedCheck {
  /** The check file, for messages. */
  file: string;
  name: string;
}

export interface Traceability {
  /**
   * `not yet`: the README defines no id (a lesson not converted yet): reported, not failed.
   * `ok`: every requirement has a check, every check names known ids. `broken`: see problems.
   */
  status: 'not yet' | 'ok' | 'broken';
  requirements: number;
  /** Requirements with at least one check. */
  covered: number;
  problems: string[];
}

/** Matches a lesson's requirements against its checks' names. */
export function trace(requirements: readonly Requirement[], checks: readonly NamedCheck[]): Traceability {
  if (requirements.length === 0) return { status: 'not yet', requirements: 0, covered: 0, problems: [] };
  const problems: string[] = [];
  const defined = new Map<string, Requirement>();
  for (const r of requirements) {
    const first = defined.get(r.id);
    if (first) problems.push(`requirement ${r.id} is defined twice (${first.where} and ${r.where}): an id names one requirement`);
    else defined.set(r.id, r);
  }
  const proved = new Set<string>();
  for (const c of checks) {
    const ids = checkIds(c.name);
    if (ids.length === 0) {
      problems.push(`check names no requirement (its name should start "R<step>.<n>: …"): ${c.file} › ${c.name}`);
      continue;
    }
    for (const id of ids) {
      if (defined.has(id)) proved.add(id);
      else problems.push(`check names ${id}, which the README does not define: ${c.file} › ${c.name}`);
    }
  }
  for (const r of defined.values()) {
    if (!proved.has(r.id)) problems.push(`requirement ${r.id} has no check (${r.where}): ${r.text}`);
  }
  return { status: problems.length ? 'broken' : 'ok', requirements: defined.size, covered: proved.size, problems };
}
