import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from './server.js';

// stdio: stdout is the protocol channel, so the only log line goes to stderr.
const server = createServer();
await server.connect(new StdioServerTransport());
console.error('crm MCP server on stdio');
// The SDK's stdio transport ignores the end of stdin; a server whose host has gone should go too.
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
