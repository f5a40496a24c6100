import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

const COMMON = { runs: { type: 'string', default: '5' }, help: { type: 'boolean', short: 'h' } } as const;
type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof COMMON }>>['values'];

/**
 * A bench script's options: node:util parseArgs plus `--runs N` (samples of each figure) and
 * `-h`. A bad option or --runs is one line and the usage on stderr, exit 2; -h prints the usage.
 */
export function benchOptions<O extends ParseArgsOptionsConfig>(usage: string, options: O, maxRuns = 50): Omit<Values<O>, 'runs'> & { runs: number } {
  let values: Values<O>;
  try {
    values = parseArgs({ options: { ...options, ...COMMON } as O & typeof COMMON }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  const common = values as { help?: boolean; runs: string };
  if (common.help) {
    console.log(usage);
    process.exit(0);
  }
  const runs = Number(common.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > maxRuns) {
    console.error(`--runs wants a whole number from 1 to ${maxRuns}, not "${common.runs}".\n\n${usage}`);
    process.exit(2);
  }
  return { ...values, runs };
}
