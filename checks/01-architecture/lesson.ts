import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 1,
  slug: '01-architecture',
  title: 'MCP server architecture',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Classify JSON-RPC messages',
      file: 'src/messages.ts',
      hints: [
        'Start by rejecting what is not an object with jsonrpc === "2.0"; then look at which of method, id, result and error are present.',
        'A method with an id is a request, without one a notification. No method: exactly one of result or error, plus an id.',
        'Check ids with `typeof id === "string" || Number.isInteger(id)`, and an error object with `Number.isInteger(error.code) && typeof error.message === "string"`.',
      ],
    },
    {
      title: 'Declare identity, capabilities and instructions',
      file: 'src/server.ts',
      hints: [
        'The first McpServer argument is the serverInfo the client sees; the second holds options.',
        'Options: `{ capabilities: { logging: {} }, instructions: "…" }`. McpServer adds `tools` itself once a tool is registered.',
        "`new McpServer({ name: 'taskboard', version: '0.1.0' }, { capabilities: { logging: {} }, instructions: 'Taskboard is a project tracker…' })`",
      ],
    },
    {
      title: 'Wire the lifecycle hooks',
      file: 'src/server.ts',
      hints: [
        'The hooks live on the low-level Server inside McpServer: `server.server`.',
        'Assign functions to `server.server.oninitialized`, `.onclose` and `.onerror`; in oninitialized the client is already known.',
        '`server.server.oninitialized = () => onEvent({ type: "initialized", client: server.server.getClientVersion() ?? { name: "unknown", version: "unknown" }, capabilities: server.server.getClientCapabilities() ?? {} })`',
      ],
    },
    {
      title: 'Trace the messages at the transport',
      file: 'src/trace.ts',
      hints: [
        'The transport is the layer below the protocol: every message in or out passes through onmessage (in) or send (out).',
        'Push `{ direction, message }` onto this.trace before forwarding, so the order in the trace is the order on the wire.',
        'In start(): `this.trace.push({ direction: "received", message })` before `this.onmessage?.(…)`; in send(): `this.trace.push({ direction: "sent", message })` before `this.inner.send(…)`.',
      ],
    },
    {
      title: 'Serve over stdio',
      file: 'src/main.ts',
      hints: [
        'StdioServerTransport reads newline-delimited JSON-RPC from stdin and writes it to stdout.',
        '`const server = createServer({ onEvent: (e) => console.error(JSON.stringify(e)) }); await server.connect(new StdioServerTransport());`',
        'Finish with `console.error("taskboard: listening on stdio")`. Never console.log in a stdio server: it writes to the protocol channel.',
      ],
    },
  ],
});
