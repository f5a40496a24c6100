import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { COURSE_ROOT, tsxLoaderUrl } from '../../common/paths.js';

/**
 * Starts a lesson-08 server (`lessons` or `solutions`) over HTTP on a free loopback port with a
 * scratch database, for the scripts in this folder (conformance, bench). Resolves with its URL.
 */
export async function startHttpServer(target: string, env: Record<string, string> = {}): Promise<{ url: URL; child: ChildProcess; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'taskboard-08-script-'));
  const main = join(COURSE_ROOT, target, '08-capstone', 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', tsxLoaderUrl(), main], {
    cwd: COURSE_ROOT,
    env: { ...process.env, TASKBOARD_TRANSPORT: 'http', TASKBOARD_HOST: '127.0.0.1', TASKBOARD_PORT: '0', TASKBOARD_DB: join(dir, 'taskboard.db'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise<URL>((resolve, reject) => {
    const lines: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const m = /MCP server on (https?:\/\/\S+)/.exec(line);
      if (m) resolve(new URL(m[1]!));
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
  return { url, child, stop };
}

export function targetOf(argv: readonly string[]): string {
  const i = argv.indexOf('--target');
  return i >= 0 ? argv[i + 1]! : 'solutions';
}
