import { afterAll, beforeAll, beforeEach, inject } from 'vitest';

/**
 * A vitest setup file for `npm run mutate` only (course/mutate/mutation.ts lists it; Stryker
 * puts its own before it). Two things Stryker's vitest runner cannot know about our checks:
 *
 * 1. Servers the stdio checks spawn run the solution in their own process. Stryker activates a
 *    mutant in the test thread (`globalThis.__stryker__`); its instrumented code in a child
 *    process reads the mutant from `__STRYKER_ACTIVE_MUTANT__` instead (the harness passes it
 *    on, checks/harness/connect.ts). Copy it there before each check.
 * 2. Coverage is measured in the test thread only, so code that only a spawned server runs
 *    (all of main.ts) would look "not covered" and never be tested, and a mutant covered by an
 *    in-memory check would skip the stdio checks. So the dry run reports no coverage at all:
 *    every mutant runs every check of the lesson (Stryker's `coverageAnalysis: "off"`, which
 *    the vitest runner does not honour by itself).
 */
const KEY = '__STRYKER_ACTIVE_MUTANT__';
type Namespace = { activeMutant?: string | number; mutantCoverage?: unknown };
const ns = (): Namespace | undefined => (globalThis as { __stryker__?: Namespace }).__stryker__;

function share(): void {
  const active = ns()?.activeMutant;
  if (active === undefined || active === null || active === '') delete process.env[KEY];
  else process.env[KEY] = String(active);
}

beforeAll(share);
beforeEach(share);

// After-hooks run last-registered first, so this runs before Stryker's, which reads the coverage.
if ((inject as (key: string) => unknown)('mode') === 'dry-run') {
  afterAll(() => {
    const n = ns();
    if (n) n.mutantCoverage = undefined;
  });
}
