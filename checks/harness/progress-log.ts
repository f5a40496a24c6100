import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, Progress } from '@modelcontextprotocol/sdk/types.js';
import { Recorder } from './recorder.js';

/**
 * Collects the progress a client receives for one request: pass `{ onprogress: log.onprogress }`
 * in the RequestOptions (that is what makes the Client send a progressToken), then read
 * `log.received` or wait for an update by condition.
 */
export class ProgressLog extends Recorder<Progress> {
  constructor() {
    super((p) => `${p.progress}/${p.total ?? '?'}`);
  }

  readonly onprogress = (progress: Progress): void => {
    this.record(progress);
  };
}

/**
 * Records every raw message that reaches the client's end of a transport, before the Client
 * parses it: for checks about messages the Client would drop or report as errors (a progress
 * notification for a request that never asked for progress, say). Call it after the Client has
 * connected: it wraps the `onmessage` the Client installed.
 */
export class IncomingLog extends Recorder<JSONRPCMessage> {
  constructor(transport: Transport) {
    super((m) => ('method' in m ? m.method : `response ${'id' in m ? String(m.id) : ''}`));
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      this.record(message);
      deliver?.(message, extra);
    };
  }

  /** The notifications received with this method, in order. */
  notifications(method: string): JSONRPCMessage[] {
    return this.received.filter((m) => 'method' in m && !('id' in m) && m.method === method);
  }
}
