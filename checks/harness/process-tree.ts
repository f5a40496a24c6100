import { execFileSync } from 'node:child_process';

/**
 * A process and all its descendants, parents first. A server the harness starts may start
 * processes of its own; stopping only the server leaves them running, adopted by PID 1. Read from
 * `ps` (Linux and macOS); on Windows `taskkill /T` does the walking itself.
 */
export function processTree(pid: number): number[] {
  if (process.platform === 'win32') return [pid];
  let table: string;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [pid];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!child || parent === undefined || Number.isNaN(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends every process of a tree still running: SIGTERM, then SIGKILL for any left after a moment. */
export async function stopTree(tree: readonly number[]): Promise<void> {
  if (process.platform === 'win32') {
    if (tree[0] && alive(tree[0])) {
      try {
        execFileSync('taskkill', ['/pid', String(tree[0]), '/T', '/F'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    return;
  }
  const running = tree.filter(alive);
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + 1_000;
  while (running.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  for (const pid of running.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
