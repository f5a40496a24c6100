import { check, CHECK_USAGE } from './commands/check.js';
import { diff, DIFF_USAGE } from './commands/diff.js';
import { grade } from './commands/grade.js';
import { classroom } from './commands/classroom.js';
import { hint } from './commands/hint.js';
import { inspect } from './commands/inspect.js';
import { progress } from './commands/progress.js';
import { reset } from './commands/reset.js';
import { verify, VERIFY_USAGE } from './commands/verify.js';
import { variants } from './commands/variants.js';
import { mutate } from './commands/mutate.js';
import { spec, SPEC_USAGE } from './commands/spec.js';
import { watch } from './commands/watch.js';
import { UsageError } from './errors.js';
import { wantsHelp } from './args.js';
import { LIMITS, LimitError, readLimit } from '../common/limits.js';
import { StateDirError, validateStateDir } from './progress.js';
import { TargetError } from '../common/target.js';
import { loadLessons } from './lessons.js';
import { paint } from './ui.js';

/** The course runner: `npm start`, `npm run check 2`, … (see README, "Commands"). */
const COMMANDS = {
  start: { run: watch, usage: 'start [N]         watch mode: checks re-run on every save' },
  check: { run: check, usage: 'check [N]         run a lesson\'s checks against your work' },
  hint: { run: hint, usage: 'hint [N]          the next hint for the step you are on' },
  diff: { run: diff, usage: 'diff [N]          your code against the reference solution' },
  reset: { run: reset, usage: 'reset N           restore a lesson\'s starter (your files are backed up)' },
  progress: { run: progress, usage: 'progress          where you stand in every lesson' },
  inspect: { run: inspect, usage: 'inspect [N]       the MCP Inspector on a lesson\'s server' },
  verify: { run: verify, usage: 'verify [N…]       instructors: solutions pass, starters fail, trees mirror, types check' },
  grade: { run: grade, usage: 'grade DIR… [--lessons 1-5] [--out grades/] [--jobs N]   instructors: grade student checkouts' },
  classroom: { run: classroom, usage: 'classroom         instructors: write the GitHub Classroom autograding workflow' },
  variants: { run: variants, usage: 'variants N [name…] instructors: ok-/bug- patches of the solution get the verdicts they expect' },
  mutate: { run: mutate, usage: 'mutate N          instructors: Stryker mutation score of lesson N\'s checks over its solution' },
  spec: { run: spec, usage: 'spec SPEC.md [--server "cmd"]   your own spec\'s generic checks against your server (docs/SPEC-FORMAT.md)' },
} as const;

/** The longer usage of the commands that have options. */
const HELP: Record<string, string> = { check: CHECK_USAGE, diff: DIFF_USAGE, verify: VERIFY_USAGE, spec: SPEC_USAGE };

/** The commands that write progress, hints seen or backups into the state folder. */
const STATEFUL: ReadonlySet<string> = new Set(['start', 'check', 'hint', 'reset']);

function usage(): string {
  return `Usage: npm run <command> [-- args]\n\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) throw new UsageError(`Unknown command "${name}".\n\n${usage()}`);
  if (wantsHelp(args)) {
    console.log(HELP[name] ?? `Usage: npm run ${name} -- ${command.usage.replace(/^\S+\s*/, '')}`);
    return 0;
  }
  // Settings are checked once, up front: a bad value is one line and exit 2, not a red check.
  for (const limit of LIMITS) readLimit(limit);
  if (STATEFUL.has(name)) validateStateDir();
  const lessons = await loadLessons();
  return await command.run(lessons, args);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof TargetError || error instanceof LimitError || error instanceof StateDirError) {
    console.error(paint('red', error.message));
    process.exitCode = 2;
  } else {
    console.error(paint('red', `The course runner failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    process.exitCode = 1;
  }
}
