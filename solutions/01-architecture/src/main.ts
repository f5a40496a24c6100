import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from './server.js';

// Step 5: the stdio entry point
// stdout is the protocol channel: newline-delimited JSON-RPC only. Logs go to stderr.
const server = createServer({
  onEvent: (event) => console.error(`taskboard lifecycle: ${JSON.stringify(event)}`),
});
await server.connect(new StdioServerTransport());
console.error('taskboard: listening on stdio');
