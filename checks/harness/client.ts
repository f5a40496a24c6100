import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import { describeError, waitingFor, within } from './failure.js';
import { quoteOutput } from './quote.js';
import { ANSWER_TIMEOUT_MS, CHECK_CLIENT } from './settings.js';
import type { StepContext } from './step-context.js';

export interface ConnectOptions {
  clientInfo?: Implementation;
  capabilities?: ClientCapabilities;
  clientOptions?: ClientOptions;
}

/** Anything with the `connect(transport)` of McpServer and the low-level Server. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** A real SDK Client, as every check uses it. */
export function newClient(options: ConnectOptions): Client {
  return new Client(options.clientInfo ?? CHECK_CLIENT, {
    ...options.clientOptions,
    capabilities: options.capabilities ?? options.clientOptions?.capabilities ?? {},
  });
}

/**
 * The MCP handshake with a deadline. On failure, `explain` may say why better than the SDK's
 * error (the process exited, its file does not compile), and `log` is what the server wrote.
 */
export async function handshake(
  step: StepContext,
  client: Client,
  transport: Transport,
  how: string,
  log = () => '',
  explain: () => string | undefined = () => undefined,
): Promise<void> {
  try {
    await waitingFor(
      `the answer to initialize ${how}`,
      within(client.connect(transport, { timeout: ANSWER_TIMEOUT_MS }), ANSWER_TIMEOUT_MS + 500, () => new Error(`no answer to initialize within ${ANSWER_TIMEOUT_MS / 1000} s`)),
    );
  } catch (error) {
    const output = log();
    const why = explain();
    step.fail(
      (why ?? `the server did not complete the MCP handshake ${how}: ${describeError(error)}`) +
        (output ? `\n  what the server wrote to stderr:\n${quoteOutput(output)}` : ''),
    );
  }
}
