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

  // TODO 2: identity, capabilities and instructions
  //   Name the server "taskboard" with a real version (like "0.1.0"), declare the `logging`
  //   capability, and give `instructions` that tell a model what the server is for.
  //   All three travel in the initialize result. (McpServer's second argument holds
  //   `capabilities` and `instructions`.)
  const server = new McpServer({ name: 'replace-me', version: '0.0.0' });

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

  // TODO 3: lifecycle hooks, on the protocol layer beneath McpServer (server.server)
  //   oninitialized: call onEvent({ type: 'initialized', client, capabilities }) with the
  //                  client's identity (getClientVersion()) and capabilities (getClientCapabilities()).
  //   onclose:       call onEvent({ type: 'closed' }).
  //   onerror:       call onEvent({ type: 'error', message: error.message }).
  void onEvent; // remove once the hooks use it

  return server;
}
