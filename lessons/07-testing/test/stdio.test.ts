import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';

// Step 3: the server as a host runs it: a separate process, JSON-RPC over its stdin and stdout.
// Slower than in-memory (a process per test), so a few tests of what only a process shows.

export const LESSON = fileURLToPath(new URL('..', import.meta.url));
export const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

// TODO 3: start the server with `node --import tsx src/main.ts` (StdioClientTransport, cwd LESSON),
// complete the handshake and call a tool; then, without the SDK client (which skips a stray line
// quietly), check that every line on stdout is JSON-RPC. Close what you start in afterEach.
// Then add the smoke test to package.json's scripts:
//   "smoke": "mcp-inspector --cli node --import tsx src/main.ts --method tools/list"
describe('over stdio', () => {
  test.todo('a client completes the handshake and calls a tool');
  test.todo('stdout carries JSON-RPC and nothing else');
});
