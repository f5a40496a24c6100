import { existsSync, readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { lessonFor } from '../current.js';
import { isCode, listFiles } from '../files.js';
import { lessonPath } from '../lessons.js';
import { paint } from '../ui.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../errors.js';

/**
 * `npm run diff [N]`: the student's code against the reference solution, code only (no lesson
 * text). Lines marked + are in the solution and not in your file; - are yours alone.
 */
export const DIFF_USAGE = `Usage: npm run diff -- [N] [--step K]

  N          the lesson (default: the one you are working on)
  --step K   only the file of step K`;

export function diff(lessons: readonly LessonMeta[], args: string[]): number {
  const { values, positionals } = parseCommandArgs(args, DIFF_USAGE, { step: { type: 'string' } });
  const lesson = lessonFor(lessons, positionals[0]);
  let only: string | undefined;
  if (values.step !== undefined) {
    const step = lesson.steps[Number(values.step) - 1];
    if (!/^\d+$/.test(values.step) || !step) throw new UsageError(`Lesson ${lesson.number} has steps 1 to ${lesson.steps.length}, not "${values.step}".\n\n${DIFF_USAGE}`);
    only = step.file;
  }
  const text = lessonDiff(lesson, undefined, only);
  console.log(text || paint('green', `Lesson ${lesson.number}${only ? `, ${only}` : ''}: your code matches the reference solution. Nothing left to write.`));
  return 0;
}

/**
 * The code without what is not the learner's work: comment-only lines (the starter's \`// TODO N\`
 * blocks against the solution's \`// Step N\` notes) and trailing spaces; blank lines go too.
 */
export function codeOnly(text: string): string {
  const kept: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (inBlock) {
      if (trimmed.includes('*/')) inBlock = false;
      continue;
    }
    if (trimmed.startsWith('/*') && !trimmed.includes('*/')) {
      inBlock = true;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//') || (trimmed.startsWith('/*') && trimmed.endsWith('*/'))) continue;
    kept.push(line.trimEnd());
  }
  return kept.join('\n') + '\n';
}

export function lessonDiff(lesson: LessonMeta, root?: string, only?: string): string {
  const mine = lessonPath('lessons', lesson, '', root);
  const theirs = lessonPath('solutions', lesson, '', root);
  const files = [...new Set([...listFiles(mine), ...listFiles(theirs)])].filter(isCode).filter((f) => !only || f === only).sort();
  const patches: string[] = [];
  for (const file of files) {
    const yours = read(`${mine}/${file}`);
    const reference = read(`${theirs}/${file}`);
    if (yours === reference) continue;
    if (yours !== undefined && reference !== undefined && codeOnly(yours) === codeOnly(reference)) continue;
    const patch = createTwoFilesPatch(
      yours === undefined ? '/dev/null' : `lessons/${lesson.slug}/${file} (yours, comments left out)`,
      reference === undefined ? '/dev/null' : `solutions/${lesson.slug}/${file} (reference)`,
      yours === undefined ? '' : codeOnly(yours),
      reference === undefined ? '' : codeOnly(reference),
      undefined,
      undefined,
      { context: 3, ignoreWhitespace: true },
    );
    patches.push(colorize(patch.split('\n').slice(1).join('\n')));
  }
  return patches.join('\n');
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function colorize(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      return line;
    })
    .join('\n');
}
