import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { COURSE_ROOT, displayPath, tsxLoaderUrl } from '../../common/paths.js';
import { lessonFor } from '../current.js';
import { UsageError } from '../errors.js';
import { lessonPath } from '../lessons.js';

/**
 * `npm run inspect [N] [-- --solution] [-- inspector options]`: the MCP Inspector on a lesson's
 * stdio server. Everything after the lesson number goes to the Inspector, so
 * `npm run inspect 2 -- --cli --method tools/list` scripts it.
 */
export async function inspect(lessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { lesson: chosen, solution, passThrough } = inspectArgs(lessons, args);
  const lesson = lessonFor(lessons, chosen);
  const tree = solution ? 'solutions' : 'lessons';
  if (!lesson.entry) throw new UsageError(`Lesson ${lesson.number} has no server to inspect.`);
  const entry = lessonPath(tree, lesson, lesson.entry);
  if (!existsSync(entry)) throw new UsageError(`${displayPath(entry)} is missing: \`npm run reset ${lesson.number}\` restores the starter.`);
  const command = inspectorCommand(entry, passThrough);
  if (!passThrough.includes('--cli')) console.error(`Starting the MCP Inspector on ${displayPath(entry)} (Ctrl-C to stop)…`);
  const child = spawn(command[0]!, command.slice(1), { cwd: COURSE_ROOT, stdio: 'inherit' });
  return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/**
 * The runner's own arguments among the Inspector's, wherever they stand: `--solution`, and the
 * lesson (a number or a slug, the first positional that names one). Everything else, in order,
 * goes to the Inspector. Read with parseArgs' tokens, so `--solution 2` and `2 --solution` agree.
 */
export function inspectArgs(lessons: readonly LessonMeta[], args: string[]): { lesson?: string; solution: boolean; passThrough: string[] } {
  const { tokens } = parseArgs({ args, strict: false, allowPositionals: true, tokens: true, options: { solution: { type: 'boolean' } } });
  let lesson: string | undefined;
  let solution = false;
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'solution') {
      solution = true;
      taken.add(token.index);
    } else if (token.kind === 'positional' && lesson === undefined && (/^\d+$/.test(token.value) || lessons.some((l) => l.slug === token.value))) {
      // the value of an Inspector option (`--tool-name 2`) is not a lesson
      const previous = args[token.index - 1];
      if (previous?.startsWith('-') && !previous.includes('=') && previous !== '--solution' && previous !== '--cli') continue;
      lesson = token.value;
      taken.add(token.index);
    }
  }
  return { lesson, solution, passThrough: args.filter((_, i) => !taken.has(i)) };
}

/** The Inspector launching `node --import tsx ENTRY`: shared with the runner's own test of it. */
export function inspectorCommand(entry: string, inspectorArgs: string[] = []): string[] {
  const bin = join(COURSE_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
  return [process.execPath, bin, ...inspectorArgs.filter((a) => a === '--cli'), process.execPath, '--import', tsxLoaderUrl(), entry, ...inspectorArgs.filter((a) => a !== '--cli')];
}
