import { existsSync, readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { lessonFor } from '../current.js';
import { isCode, listFiles } from '../files.js';
import { lessonPath } from '../lessons.js';
import { paint } from '../ui.js';

/**
 * `npm run diff [N]`: the student's code against the reference solution, code only (no lesson
 * text). Lines marked + are in the solution and not in your file; - are yours alone.
 */
export function diff(lessons: readonly LessonMeta[], args: string[]): number {
  const lesson = lessonFor(lessons, args[0]);
  const text = lessonDiff(lesson);
  console.log(text || paint('green', `Lesson ${lesson.number}: your code matches the reference solution. Nothing left to write.`));
  return 0;
}

export function lessonDiff(lesson: LessonMeta, root?: string): string {
  const mine = lessonPath('lessons', lesson, '', root);
  const theirs = lessonPath('solutions', lesson, '', root);
  const files = [...new Set([...listFiles(mine), ...listFiles(theirs)])].filter(isCode).sort();
  const patches: string[] = [];
  for (const file of files) {
    const yours = read(`${mine}/${file}`);
    const reference = read(`${theirs}/${file}`);
    if (yours === reference) continue;
    const patch = createTwoFilesPatch(
      yours === undefined ? '/dev/null' : `lessons/${lesson.slug}/${file} (yours)`,
      reference === undefined ? '/dev/null' : `solutions/${lesson.slug}/${file} (reference)`,
      yours ?? '',
      reference ?? '',
      undefined,
      undefined,
      { context: 3 },
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
