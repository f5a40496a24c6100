import { spawn } from 'node:child_process';
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
  const number = args[0] !== undefined && /^\d+$/.test(args[0]) ? args.shift() : undefined;
  const lesson = lessonFor(lessons, number);
  const tree = args.includes('--solution') ? 'solutions' : 'lessons';
  const passThrough = args.filter((a) => a !== '--solution');
  if (!lesson.entry) throw new UsageError(`Lesson ${lesson.number} has no server to inspect.`);
  const entry = lessonPath(tree, lesson, lesson.entry);
  if (!existsSync(entry)) throw new UsageError(`${displayPath(entry)} is missing: \`npm run reset ${lesson.number}\` restores the starter.`);
  const command = inspectorCommand(entry, passThrough);
  if (!passThrough.includes('--cli')) console.error(`Starting the MCP Inspector on ${displayPath(entry)} (Ctrl-C to stop)…`);
  const child = spawn(command[0]!, command.slice(1), { cwd: COURSE_ROOT, stdio: 'inherit' });
  return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/** The Inspector launching `node --import tsx ENTRY`: shared with the runner's own test of it. */
export function inspectorCommand(entry: string, inspectorArgs: string[] = []): string[] {
  const bin = join(COURSE_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
  return [process.execPath, bin, ...inspectorArgs.filter((a) => a === '--cli'), process.execPath, '--import', tsxLoaderUrl(), entry, ...inspectorArgs.filter((a) => a !== '--cli')];
}
