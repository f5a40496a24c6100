import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from './server.js';

// Step 5: the stdio entry point
// stdout carries JSON-RPC and nothing else, so every log line goes to stderr.
const server = createServer();
await server.connect(new StdioServerTransport());
console.error('taskboard: listening on stdio');
