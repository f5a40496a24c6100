// Cold start of lesson 07's server: spawn to the answer to `initialize`, and to the first
// tools/call, for the packed bin (dist/taskboard-mcp.js, built with `npm run build`) against the
// same server under tsx (src/main.ts). Median of 9 each. Not a check: a figure for `npm run bench`.
//   node checks/07-testing/cold-start.mjs [lessons|solutions]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const tree = process.argv[2] ?? 'solutions';
const dir = fileURLToPath(new URL(`../../${tree}/07-testing/`, import.meta.url));
if (!existsSync(`${dir}dist/taskboard-mcp.js`)) {
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(1);
}
const line = (message) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;

function once(args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, TASKBOARD_LOG_LEVEL: 'error' } });
    let initialized;
    createInterface({ input: child.stdout }).on('line', (text) => {
      const message = JSON.parse(text);
      if (message.id === 1) {
        initialized = performance.now() - started;
        child.stdin.write(line({ method: 'notifications/initialized' }) + line({ id: 2, method: 'tools/call', params: { name: 'list_tasks', arguments: { project: 'WEB' } } }));
      }
      if (message.id === 2) {
        child.kill('SIGKILL');
        resolve([initialized, performance.now() - started]);
      }
    });
    child.stdin.write(line({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cold-start', version: '1' } } }));
  });
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [label, args] of [
  ['packed bin (node dist/taskboard-mcp.js)', ['dist/taskboard-mcp.js']],
  ['tsx (node --import tsx src/main.ts)', ['--import', 'tsx', 'src/main.ts']],
]) {
  const init = [];
  const call = [];
  for (let i = 0; i < 9; i++) {
    const [a, b] = await once(args);
    init.push(a);
    call.push(b);
  }
  console.log(`${label}: initialize after ${median(init).toFixed(0)} ms, first tools/call after ${median(call).toFixed(0)} ms (median of 9)`);
}
