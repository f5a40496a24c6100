import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/**
 * Running, as far as stopping it goes. A zombie (it exited; nobody has collected its status yet)
 * answers signals but is done: a server's child orphaned when the server ends (tsx's esbuild
 * service, after a changed file was compiled) is reparented to PID 1, and a container's PID 1
 * may never collect it, so counting it as running made every stop wait its full second.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/PID/stat: "pid (comm) S …"; the state follows the last ')' (comm may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
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
