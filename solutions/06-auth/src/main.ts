import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { createHttpApp } from './http.js';

// The HTTP entry point: configuration and secrets from the environment (step 6), checked
// before anything listens. Only names and URLs are ever printed, never a secret.
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(`taskboard: ${(error as Error).message}`);
  process.exit(1);
}

// Listen first, so the URL (with the port the system chose when TASKBOARD_PORT=0) is known
// before the app that needs it as its resource identifier is built.
const server = createServer();
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = new URL(`http://${host}:${port}/mcp`);
  server.on('request', createHttpApp({ url, ...config }));
  console.error(`taskboard: MCP server on ${url.href} (${[config.apiKeys ? 'API keys' : '', config.oauth ? `OAuth from ${config.oauth.issuer}` : ''].filter(Boolean).join(', ')})`);
});
