import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.js';

/**
 * `npm run client-config -- claude|vscode|cursor [--http]`: prints the entry that makes a client
 * start (stdio) or reach (--http) this server, in the shape that client's documentation gives.
 * Paste it into the client's file:
 *   claude   claude_desktop_config.json   { "mcpServers": { name: { command, args, env } } }
 *   vscode   .vscode/mcp.json             { "servers": { name: { type: "stdio", command, args, env } | { type: "http", url, headers } }, "inputs": [...] }
 *   cursor   .cursor/mcp.json             { "mcpServers": { name: { command, args, env } | { url, headers } } }
 */

export const CLIENTS = ['claude', 'vscode', 'cursor'] as const;
export type ClientName = (typeof CLIENTS)[number];
const SERVER_NAME = 'taskboard';
/** Where each client takes the API key from (lesson 06): never the key itself in the file. */
const API_KEY_INPUT = 'taskboard-api-key';
const API_KEY_ENV = 'TASKBOARD_API_KEY';
const AUTH_HEADER_ENV = 'TASKBOARD_AUTH_HEADER';

/** The package's folder: the built server is dist/taskboard-mcp.js in it. */
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Step 9: one entry per client, stdio and HTTP
export function clientConfig(client: ClientName, transport: 'stdio' | 'http', env: Record<string, string | undefined> = process.env): unknown {
  // TODO 9: return the entry in the client's documented shape (see the README's table):
  //   stdio: command = process.execPath, args = [the absolute path of dist/taskboard-mcp.js in
  //          PACKAGE_DIR], env = { TASKBOARD_LOG_LEVEL: config.logLevel }
  //   http:  the URL http://HOST:PORT/mcp from loadConfig(env), and the header
  //          `Authorization: Bearer <key>` (lesson 06) without the key itself: VS Code
  //          `${input:API_KEY_INPUT}` declared in "inputs", Cursor `${env:API_KEY_ENV}`,
  //          mcp-remote `--header Authorization:${AUTH_HEADER_ENV}` with that variable in "env"
  const config = loadConfig(env);
  void config;
  void client;
  void transport;
  void SERVER_NAME;
  void PACKAGE_DIR;
  void [API_KEY_INPUT, API_KEY_ENV, AUTH_HEADER_ENV];
  return {};
}

function main(argv: string[]): number {
  const client = argv.find((a) => !a.startsWith('-'));
  if (!client || !(CLIENTS as readonly string[]).includes(client)) {
    process.stderr.write(`usage: npm run client-config -- ${CLIENTS.join('|')} [--http]\n`);
    return 2;
  }
  const transport = argv.includes('--http') ? 'http' : 'stdio';
  try {
    process.stdout.write(`${JSON.stringify(clientConfig(client as ClientName, transport), null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (transport === 'stdio' && !existsSync(join(PACKAGE_DIR, 'dist', 'taskboard-mcp.js'))) {
    process.stderr.write('note: dist/taskboard-mcp.js does not exist yet: run `npm run build` before starting the client.\n');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
