import { stripVTControlCharacters } from 'node:util';

/**
 * What a server wrote, quoted in a failure message: the last lines, each marked, without colour
 * codes (the runner adds its own colours) and without Node's stack frames (noise for a student).
 */
export function quoteOutput(text: string, { lines = 15, marker = '    | ' } = {}): string {
  return meaningfulLines(text)
    .slice(-lines)
    .map((line) => `${marker}${line}`)
    .join('\n');
}

/** Output lines without colour codes and without what only Node's own authors read. */
export function meaningfulLines(text: string): string[] {
  const noise = [/^\s+at \S/, /^node:internal\//, /^\s*triggerUncaughtException\(/, /^\s*\^+\s*$/, /^Node\.js v\d/, /^\s*name: '\w+'\s*$/, /^\s*[{}]\s*$/, /^\s*$/];
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.replace(/\s*\{$/, ''))
    .filter((line) => !noise.some((pattern) => pattern.test(line)));
}

/**
 * Why a lesson file could not even start, read from what Node and tsx wrote: a compile error,
 * a missing import, or nothing recognisable (undefined).
 */
export function startupProblem(stderr: string): string | undefined {
  const text = stripVTControlCharacters(stderr);
  if (/Transform failed|SyntaxError|ERROR: Expected|ERROR: Unexpected/.test(text)) return 'does not compile';
  if (/ERR_MODULE_NOT_FOUND|Cannot find module|Cannot find package/.test(text)) return 'imports a file or package that does not exist';
  return undefined;
}
