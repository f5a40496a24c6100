import {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { handshake, newClient, type ConnectOptions } from './client.js';
import type { StepContext } from './step-context.js';
import { cleanupAfterCheck } from './teardown.js';

/** A Client over Streamable HTTP to a server already listening at `url`. */
export async function connectHttp(
  step: StepContext,
  url: string | URL,
  options: ConnectOptions & { transport?: StreamableHTTPClientTransportOptions } = {},
) {
  const transport = new StreamableHTTPClientTransport(new URL(url), options.transport);
  const client = newClient(options);
  cleanupAfterCheck(() => client.close());
  await handshake(step, client, transport, `over Streamable HTTP at ${url}`);
  return { client, transport };
}
