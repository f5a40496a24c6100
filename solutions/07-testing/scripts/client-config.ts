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
  const config = loadConfig(env);
  if (transport === 'http') {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/mcp`;
    // Lesson 06: the server wants `Authorization: Bearer <API key>`. The key never goes into the
    // file itself (it would end up in a repository or a backup): each client has its own way to
    // fill it in when it connects.
    switch (client) {
      case 'vscode':
        // VS Code asks for the key once (a password prompt) and keeps it in its secret storage.
        return {
          inputs: [{ type: 'promptString', id: API_KEY_INPUT, description: 'Taskboard API key', password: true }],
          servers: { [SERVER_NAME]: { type: 'http', url, headers: { Authorization: `Bearer \${input:${API_KEY_INPUT}}` } } },
        };
      case 'cursor':
        // Cursor fills ${env:NAME} in from its own environment.
        return { mcpServers: { [SERVER_NAME]: { url, headers: { Authorization: `Bearer \${env:${API_KEY_ENV}}` } } } };
      case 'claude':
        // Claude Desktop's file starts local processes only (remote servers are added as connectors
        // in its settings): the usual bridge is mcp-remote, a stdio server that forwards to the URL.
        // mcp-remote expands ${VAR} in --header from the env below (no space after the colon:
        // Windows would split the argument there).
        return {
          mcpServers: {
            [SERVER_NAME]: {
              command: 'npx',
              args: ['-y', 'mcp-remote', url, '--header', `Authorization:\${${AUTH_HEADER_ENV}}`],
              env: { [AUTH_HEADER_ENV]: 'Bearer <your Taskboard API key>' },
            },
          },
        };
    }
  }
  // Absolute paths: a desktop client does not start the server from this folder, and an app
  // launched from the dock does not see the PATH of your shell (nvm, Homebrew), so "node" might
  // be another Node or none. process.execPath is the Node running this script.
  const stdio = {
    command: process.execPath,
    args: [join(PACKAGE_DIR, 'dist', 'taskboard-mcp.js')],
    env: { TASKBOARD_LOG_LEVEL: config.logLevel, ...(config.dataPath ? { TASKBOARD_DATA: resolve(config.dataPath) } : {}) },
  };
  return client === 'vscode' ? { servers: { [SERVER_NAME]: { type: 'stdio', ...stdio } } } : { mcpServers: { [SERVER_NAME]: stdio } };
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
