import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_ROOT } from '../common/paths.js';
import { STATE_DIR } from './progress.js';

/** Where `npm install` wrote the commit the course was at (see course/record-base.mjs). */
export const BASE_FILE = join(STATE_DIR, 'base');

export function git(args: string[], cwd = COURSE_ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The commit that holds the course's own starters: the one recorded at `npm install`, so a
 * student's later commits to lessons/ never become "the starter". Falls back to HEAD.
 */
export function courseBase(root = COURSE_ROOT, baseFile = BASE_FILE): { commit: string; recorded: boolean } {
  try {
    const commit = readFileSync(baseFile, 'utf8').trim();
    git(['cat-file', '-e', `${commit}^{commit}`], root);
    return { commit, recorded: true };
  } catch {
    return { commit: git(['rev-parse', 'HEAD'], root).trim(), recorded: false };
  }
}
