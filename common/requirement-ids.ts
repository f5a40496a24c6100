/**
 * Requirement ids, the one grammar the runner, the check threads and the grader share
 * (checks/AUTHORING.md, "Requirements and their ids"): `R<step>.<n>` in lessons 01–07, and
 * `R-<AREA>-<n>` in a SPEC.md (the capstone's, or a learner's own spec).
 */

/** One id, either form. */
export const REQUIREMENT_ID = String.raw`R(?:\d+\.\d+|-[A-Z][A-Z0-9]*-\d+)`;

/** A check name's id prefix: `R3.1, R3.2: …`. */
const PREFIX = new RegExp(String.raw`^\s*(${REQUIREMENT_ID}(?:\s*,\s*${REQUIREMENT_ID})*)\s*:`);
const ANY_ID = new RegExp(REQUIREMENT_ID, 'g');

/** The ids a check's name starts with, or [] when it names none. */
export function checkIds(name: string): string[] {
  const m = PREFIX.exec(name);
  return m ? (m[1]!.match(ANY_ID) ?? []) : [];
}
