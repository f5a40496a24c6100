import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './errors.js';

/**
 * node:util parseArgs for a runner command, with the runner's own errors: an unknown option or
 * too many arguments is a one-line UsageError (exit 2) followed by the command's usage.
 */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(args: string[], usage: string, options: O, maxPositionals = 1) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\n\n${usage}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Too many arguments: ${parsed.positionals.slice(maxPositionals).join(' ')}\n\n${usage}`);
  }
  return parsed;
}

/** True when the arguments ask for help (-h, --help): every command answers with its usage. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('-h') || args.includes('--help');
}
