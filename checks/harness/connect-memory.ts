import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { handshake, newClient, type Connectable, type ConnectOptions } from './client.js';
import { describeError } from './failure.js';
import type { StepContext } from './step-context.js';
import { cleanupAfterCheck } from './teardown.js';

export type LinkOptions = ConnectOptions & { wrapServerTransport?: (transport: Transport) => Transport };

/** A real Client connected to a server object in this process, over the SDK's in-memory transport. */
export async function connectInMemory(step: StepContext, server: Connectable, options: ConnectOptions = {}): Promise<Client> {
  return (await linkInMemory(step, server, options)).client;
}

/**
 * connectInMemory, also handing back the client's end of the transport (to send raw messages)
 * and taking a wrapper for the server's end (lesson 01 traces it).
 */
export async function linkInMemory(step: StepContext, server: Connectable, options: LinkOptions = {}) {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  try {
    await server.connect(options.wrapServerTransport ? options.wrapServerTransport(serverTransport) : serverTransport);
  } catch (error) {
    step.fail(`server.connect(transport) threw ${describeError(error)}`);
  }
  const client = newClient(options);
  cleanupAfterCheck(async () => {
    await client.close();
    await server.close();
  });
  await handshake(step, client, clientTransport, 'over the in-memory transport');
  return { client, clientTransport };
}

/**
 * The lesson's own server: calls the student's `createServer(options)` (exported by
 * `src/server.ts`, as every lesson's text says) and links a Client to it in memory. A missing
 * export or a createServer that throws fails the check with a message naming step and file.
 */
export async function connectServer<S extends Connectable = McpServer>(step: StepContext, options?: Record<string, unknown>, link: LinkOptions = {}) {
  const createServer = await step.fn<(options?: Record<string, unknown>) => S>('createServer', 'src/server.ts');
  const call = options ? `createServer({ ${Object.keys(options).join(', ')} })` : 'createServer()';
  const server = await step.run(call, () => (options ? createServer(options) : createServer()));
  return { server, ...(await linkInMemory(step, server, link)) };
}
