import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { displayPath } from '../../common/paths.js';
import { readSpec, SpecFormatError, type Spec } from '../../checks/spec/format.js';
import { SPEC_CWD_ENV, SPEC_ENV, SPEC_SERVER_ENV } from '../../checks/spec/env.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { closingLine } from '../report.js';
import { requirementCoverage } from '../requirements.js';
import { CheckRunner, type RunOutcome } from '../run-checks.js';
import { indent, mark, paint } from '../ui.js';

export const SPEC_USAGE = `Usage: npm run spec -- PATH/TO/SPEC.md [--server "command args"]

Checks an MCP server against a spec written in the course's spec format (docs/SPEC-FORMAT.md):
every tool, resource, resource template and prompt its mcp-surface blocks name is listed with
the schema they state, and every mcp-example block runs as a check named after its requirement.
The server is started over stdio by the spec's front matter (server: …, run in the spec's
folder) or by --server (run in the folder you are in). Prints each check, then coverage:
requirements with at least one passing check, out of all.

  --server "cmd args"   start the server with this command instead of the spec's

Exit 0 when every check passes, 1 when one fails, 2 when the spec itself has a mistake
(each named file:line).`;

/** The checks' folder under checks/: the runner runs only this one, like a lesson's. */
const SPEC_CHECKS: Pick<LessonMeta, 'slug'> = { slug: 'spec' };

/** `npm run spec -- SPEC.md [--server cmd]`: the generic checks of a learner's own spec. */
export async function spec(_lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, SPEC_USAGE, { server: { type: 'string' } });
  if (!positionals[0]) throw new UsageError(`Which spec? Name its file.\n\n${SPEC_USAGE}`);
  // `npm run spec` runs in the course root; the learner typed the path from where they were
  // (INIT_CWD). Only when npm started this very script: an INIT_CWD inherited from another npm
  // command (npm test running the runner's tests) says nothing about this call.
  const here = (process.env.npm_lifecycle_event === 'spec' && process.env.INIT_CWD) || process.cwd();
  const path = resolve(here, positionals[0]);
  if (!existsSync(path)) throw new UsageError(`${positionals[0]}: no such file.`);
  if (values.server !== undefined && values.server.trim() === '') throw new UsageError(`--server needs a command, like --server "node dist/main.js".`);
  let parsed: Spec;
  try {
    parsed = readSpec(path, displayPath(path));
  } catch (error) {
    if (error instanceof SpecFormatError) {
      throw new UsageError(`The spec has ${error.problems.length === 1 ? 'a mistake' : `${error.problems.length} mistakes`} (docs/SPEC-FORMAT.md):\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
    }
    throw error;
  }
  if (!parsed.server && values.server === undefined) {
    throw new UsageError(`${parsed.file} names no server: add \`server: node --import tsx src/main.ts\` to its front matter (--- … --- at the top), or pass --server "command args".`);
  }
  if (parsed.surface.length + parsed.examples.length === 0) {
    throw new UsageError(`${parsed.file} has no \`mcp-surface\` or \`mcp-example\` block: there is nothing to check (docs/SPEC-FORMAT.md).`);
  }

  // The check threads read the spec and the server from the environment they inherit.
  process.env[SPEC_ENV] = path;
  if (values.server !== undefined) {
    process.env[SPEC_SERVER_ENV] = values.server;
    process.env[SPEC_CWD_ENV] = here;
  } else {
    delete process.env[SPEC_SERVER_ENV];
  }
  const started = performance.now();
  console.log(paint('dim', `${parsed.file}: ${parsed.requirements.length} requirements, ${parsed.surface.length} surface entries, ${parsed.examples.length} examples…`));
  const runner = await CheckRunner.create({ target: 'lessons' });
  let outcome: RunOutcome;
  try {
    outcome = await runner.run([SPEC_CHECKS as LessonMeta]);
  } finally {
    await runner.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${formatSpecRun(parsed, outcome)}`);
  console.log(`\n${closingLine(outcome.checks)} (${seconds} s)`);
  const green = outcome.checks.length > 0 && outcome.checks.every((c) => c.state === 'passed') && outcome.crashes.length === 0;
  return green ? 0 : 1;
}

/** Each check with its verdict (failures with their messages), then coverage by requirement. */
export function formatSpecRun(parsed: Spec, outcome: RunOutcome): string {
  const lines: string[] = [];
  for (const check of outcome.checks) {
    const icon = check.state === 'passed' ? mark.pass() : check.state === 'skipped' ? mark.skip() : mark.fail();
    lines.push(`${icon} ${check.name}`);
    for (const error of check.errors) lines.push(indent(error.message.trim(), '    '));
  }
  for (const crash of outcome.crashes) lines.push(`${mark.fail()} ${crash.file}: ${crash.name}: ${crash.message}`);
  const { covered, failing, unchecked } = requirementCoverage(parsed.requirements, outcome.checks);
  lines.push('', paint('bold', `coverage: ${covered.length} of ${parsed.requirements.length} requirements have a passing check`));
  if (failing.length) lines.push(`  failing: ${failing.map((r) => r.id).join(', ')}`);
  if (unchecked.length) lines.push(`  no example or surface entry yet: ${unchecked.map((r) => `${r.id} (${r.where})`).join(', ')}`);
  return lines.join('\n');
}
