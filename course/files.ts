import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SKIPPED = new Set(['node_modules', 'dist', '.DS_Store']);

/** Every file below `dir`, as sorted relative paths with `/` on every platform; an absent folder has none. */
export function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.split('/').some((part) => SKIPPED.has(part)))
    .sort();
}

/** Code, as opposed to the lesson text: what `diff` compares. */
export function isCode(file: string): boolean {
  return !file.endsWith('.md');
}
