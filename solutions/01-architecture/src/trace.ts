import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** One message seen at the server's transport: `received` from the client, or `sent` to it. */
export interface TraceEntry {
  direction: 'received' | 'sent';
  message: JSONRPCMessage;
}

/**
 * A transport that wraps another and records every message passing through, in order. The
 * protocol layer above it (McpServer's Server) never knows: this is the seam between the layers.
 */
export class TracingTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(
    private readonly inner: Transport,
    readonly trace: TraceEntry[] = [],
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    // Step 4: record what arrives, then hand it up to the protocol layer
    this.inner.onmessage = (message, extra) => {
      this.trace.push({ direction: 'received', message });
      this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // Step 4: record what leaves, then pass it down
    this.trace.push({ direction: 'sent', message });
    await this.inner.send(message, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
