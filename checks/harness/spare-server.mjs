// A spare server process: started by the harness ahead of need (checks/harness/server-process.ts)
// as `node <server flags> --import tsx spare-server.mjs`, exactly as a lesson server would be, it
// loads the MCP SDK and then waits. When a check needs a server, the harness writes one JSON line
// on fd 3 — the lesson file, its environment, its working folder — and this process becomes that
// server: Node's own main-module start (module.runMain) runs the lesson file as the entry point,
// with process.argv, process.env and the folder it would have had if spawned for it.
//
// What it saves is Node's start-up, tsx's and the SDK's import (about 0.3 s of a 0.45 s spawn on a
// quiet machine), paid while the previous check ran. It writes nothing on stdout or stderr of its
// own, so the wire and the stderr a check reads are the lesson server's alone. It exits when fd 3
// closes before a request (the harness's process ended or no longer needs it).
import { createReadStream } from 'node:fs';
import module from 'node:module';

await import('@modelcontextprotocol/sdk/server/mcp.js');
await import('@modelcontextprotocol/sdk/server/stdio.js');
await import('@modelcontextprotocol/sdk/types.js');

const control = createReadStream('', { fd: 3 });
let request = '';
control.on('data', (chunk) => {
  request += chunk;
  const end = request.indexOf('\n');
  if (end < 0) return;
  control.removeAllListeners('end');
  control.destroy();
  const { entry, env, cwd } = JSON.parse(request.slice(0, end));
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  if (cwd) process.chdir(cwd);
  process.argv.splice(1, process.argv.length - 1, entry);
  module.runMain();
});
control.on('end', () => process.exit(0));
