import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import { createDemoStore, type TaskboardStore } from '../../../taskboard/index.js';

/** What the server reports about its own life: the checks (and main.ts) listen to these. */
export type LifecycleEvent =
  | { type: 'initialized'; client: Implementation; capabilities: ClientCapabilities }
  | { type: 'closed' }
  | { type: 'error'; message: string };

export interface ServerOptions {
  store?: TaskboardStore;
  onEvent?: (event: LifecycleEvent) => void;
}

export function createServer(options: ServerOptions = {}): McpServer {
  const store = options.store ?? createDemoStore();
  const onEvent = options.onEvent ?? (() => {});

  // Step 2: identity, capabilities and instructions
  const server = new McpServer(
    { name: 'taskboard', version: '0.1.0' },
    {
      capabilities: { logging: {} },
      instructions: 'Taskboard is a project tracker. Call describe_board for an overview of its projects.',
    },
  );

  // Given: one tool, so the server has something to show (lesson 02 is about tools).
  server.registerTool(
    'describe_board',
    { title: 'Describe the board', description: 'Summarise every project and how many tasks it has.' },
    async () => ({
      content: [
        {
          type: 'text',
          text: store
            .listProjects()
            .map((p) => `${p.key} (${p.name}): ${store.listTasks({ project: p.key }).length} tasks`)
            .join('\n'),
        },
      ],
    }),
  );

  // Step 3: lifecycle hooks, on the protocol layer beneath McpServer
  const protocol = server.server;
  protocol.oninitialized = () => {
    onEvent({
      type: 'initialized',
      client: protocol.getClientVersion() ?? { name: 'unknown', version: 'unknown' },
      capabilities: protocol.getClientCapabilities() ?? {},
    });
  };
  protocol.onclose = () => onEvent({ type: 'closed' });
  protocol.onerror = (error) => onEvent({ type: 'error', message: error.message });

  return server;
}
