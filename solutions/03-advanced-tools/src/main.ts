import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from './server.js';

// The stdio entry point, as lesson 02 built it.
// stdout carries JSON-RPC and nothing else, so every log line goes to stderr.
const server = createServer();
await server.connect(new StdioServerTransport());
console.error('taskboard: listening on stdio');
