import { writeFileSync } from 'node:fs';
import { loadLessons } from '../lessons.js';
import { CheckRunner } from '../run-checks.js';

/**
 * `node course/grade/worker.mjs TARGET SLUGS OUTFILE`: runs the course's own checks for the
 * lessons SLUGS (comma-separated) against the checkout TARGET and writes the RunOutcome to
 * OUTFILE as JSON. The grader starts one per student and ends it (and everything it started)
 * when it overruns its deadline.
 */
const [target, slugs, outFile] = process.argv.slice(2);
if (!target || !slugs || !outFile) {
  console.error('usage: worker.mjs TARGET SLUGS OUTFILE');
  process.exit(2);
}
const wanted = new Set(slugs.split(','));
const lessons = (await loadLessons()).filter((l) => wanted.has(l.slug));
const runner = await CheckRunner.create({ target });
try {
  const outcome = await runner.run(lessons);
  writeFileSync(outFile, JSON.stringify(outcome));
} finally {
  await runner.close();
}
process.exit(0);
