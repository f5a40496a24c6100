import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { connectInMemory, type StepContext } from '../harness/index.js';

/** A fresh board (project WEB, no tasks) served by the student's createServer, and a Client on it. */
export async function connectToBoard(step: StepContext) {
  const { TaskboardStore } = await step.taskboard();
  const store = new TaskboardStore();
  store.createProject({ key: 'WEB', name: 'Website' });
  const createServer = await step.fn<(options: { store: unknown }) => McpServer>('createServer', 'src/server.ts');
  const server = await step.run('createServer({ store })', () => createServer({ store }));
  const client = await connectInMemory(step, server);
  return { store, client };
}
