import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', 'dist', '.DS_Store']);

/** Every file below `dir`, as sorted relative paths; an absent folder has none. */
export function listFiles(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !SKIPPED.has(entry.name))
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}

/** Code, as opposed to the lesson text: what `diff` compares. */
export function isCode(file: string): boolean {
  return !file.endsWith('.md');
}
