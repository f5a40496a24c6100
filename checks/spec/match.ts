/**
 * Partial matching of an answer against what a spec's example expects (docs/SPEC-FORMAT.md):
 * an object matches when every key it names matches (extra keys in the answer are fine); an array
 * matches when each of its items matches a different item of the answer, in any order; anything
 * else must be equal. A few operators, as an object whose keys all start with `$`, say more:
 * `$exactly: [...]` (this many items, in this order), `$length: n`, `$contains: "text"`,
 * `$absent: true` (the key is not there), `$present: true` (there, whatever its value).
 * Returns the first mismatch, as a sentence naming where, or undefined when it matches.
 */
export function mismatch(expected: unknown, actual: unknown, where = 'the answer'): string | undefined {
  if (isOperator(expected)) return operator(expected, actual, where);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where} should be an array, but is ${show(actual)}`;
    const used = new Set<number>();
    for (const [i, item] of expected.entries()) {
      const found = actual.findIndex((candidate, j) => !used.has(j) && mismatch(item, candidate) === undefined);
      if (found < 0) return `${where} has no item matching ${show(item)} (expected item ${i + 1} of ${expected.length}); it is ${show(actual)}`;
      used.add(found);
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${where} should be an object like ${show(expected)}, but is ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const inner = `${where}.${key}`;
      if (isOperator(value) && ('$absent' in value || '$present' in value)) {
        const problem = operator(value, (actual as Record<string, unknown>)[key], inner, key in actual);
        if (problem) return problem;
        continue;
      }
      if (!(key in actual)) return `${inner} is missing (expected ${show(value)}); ${where} is ${show(actual)}`;
      const problem = mismatch(value, (actual as Record<string, unknown>)[key], inner);
      if (problem) return problem;
    }
    return undefined;
  }
  return Object.is(expected, actual) || expected === actual ? undefined : `${where} should be ${show(expected)}, but is ${show(actual)}`;
}

function isOperator(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));
}

const OPERATORS = new Set(['$exactly', '$length', '$contains', '$absent', '$present']);

function operator(op: Record<string, unknown>, actual: unknown, where: string, present = actual !== undefined): string | undefined {
  for (const key of Object.keys(op)) if (!OPERATORS.has(key)) return `the spec uses ${key} at ${where}, which is not an operator (${[...OPERATORS].join(', ')})`;
  if (op.$absent === true && present) return `${where} should be absent, but is ${show(actual)}`;
  if (op.$present === true && !present) return `${where} is missing`;
  if ('$exactly' in op) {
    const items = op.$exactly;
    if (!Array.isArray(items)) return mismatch(items, actual, where);
    if (!Array.isArray(actual) || actual.length !== items.length) return `${where} should hold exactly ${items.length} item(s), in order, but is ${show(actual)}`;
    for (const [i, item] of items.entries()) {
      const problem = mismatch(item, actual[i], `${where}[${i}]`);
      if (problem) return problem;
    }
  }
  if ('$length' in op) {
    const length = Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined;
    if (length !== op.$length) return `${where} should have length ${show(op.$length)}, but is ${show(actual)}`;
  }
  if ('$contains' in op) {
    if (typeof actual !== 'string' || !actual.includes(String(op.$contains))) return `${where} should contain ${show(op.$contains)}, but is ${show(actual)}`;
  }
  return undefined;
}

/** A value for a message, cut to a readable length. */
export function show(value: unknown): string {
  const json = value === undefined ? 'undefined' : JSON.stringify(value);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}
