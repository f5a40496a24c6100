import type { Implementation } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT, limitOrDefault, MEMORY_LIMIT } from '../../common/limits.js';
import { tsxLoaderUrl } from '../../common/paths.js';

/**
 * How long a server gets to answer `initialize` or any request a check sends: a guard against a
 * server that never answers, not a speed requirement. COURSE_ANSWER_TIMEOUT_MS changes it (a slow
 * machine may want more; the runner's own tests use less; the runner validates it at start).
 */
export const ANSWER_TIMEOUT_MS = limitOrDefault(ANSWER_TIMEOUT);

/** The identity every check's Client gives in `initialize`. */
export const CHECK_CLIENT: Implementation = { name: 'course-check', version: '1.0.0' };

/**
 * How the harness starts a lesson file as a server process: under tsx, with the same heap limit
 * as a check (so a server that allocates without end dies quickly, not after eating the machine).
 */
export function serverArgs(path: string): string[] {
  return [`--max-old-space-size=${limitOrDefault(MEMORY_LIMIT)}`, '--import', tsxLoaderUrl(), path];
}
