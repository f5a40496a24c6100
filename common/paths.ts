import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The course repository's root (where package.json and node_modules live). */
export const COURSE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the lesson metadata and checks live: checks/NN-slug/. */
export const CHECKS_DIR = join(COURSE_ROOT, 'checks');

/**
 * The tsx loader, by absolute URL, so a spawned server runs even from a checkout without
 * node_modules. Resolved as Node resolves a package (up the folders from here), so it is found
 * from a copy of the course without node_modules of its own too (Stryker's sandbox, inside it).
 */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** A path as a student would type it: relative to the course root when inside it. */
export function displayPath(path: string): string {
  const rel = relative(COURSE_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}
