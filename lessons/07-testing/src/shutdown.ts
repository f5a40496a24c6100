import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from './logger.js';

/** The JSON-RPC error a request gets once the server is stopping (the spec's server-defined range). */
export const SHUTTING_DOWN = -32000;

export interface ShutdownOptions {
  logger: Logger;
  /** How long in-flight requests get to finish before the server exits anyway (exit code 1). */
  deadlineMs: number;
  /** How the process ends; tests pass their own. */
  exit?: (code: number) => void;
}

type Id = string | number;

/**
 * Graceful shutdown: when told to stop (SIGTERM from a container runtime, SIGINT from Ctrl-C, the
 * end of stdin when the host closes the pipe), the server
 *   1. stops taking requests: a new one is answered with an error, not half-done;
 *   2. lets the requests already in flight finish, up to a deadline;
 *   3. closes what it opened (transports, the HTTP listener), then exits 0.
 * It knows what is in flight by watching each transport: a request in, its response out.
 */
export class Shutdown {
  private readonly pending = new Map<Transport, Set<Id>>();
  private readonly closers: Array<() => unknown> = [];
  private idle: (() => void) | undefined;
  private started: Promise<void> | undefined;

  constructor(private readonly options: ShutdownOptions) {}

  /** True once shutdown has begun: new requests are refused. */
  get stopping(): boolean {
    return this.started !== undefined;
  }

  /** How many requests are in flight, on every transport. */
  get inFlight(): number {
    let n = 0;
    for (const ids of this.pending.values()) n += ids.size;
    return n;
  }

  /** Something to close once the in-flight requests are done (a server, an HTTP listener), in order. */
  onClose(close: () => unknown): void {
    this.closers.push(close);
  }

  // Step 6: know what is in flight
  /**
   * Watches a connected transport (call it after `server.connect(transport)`, which installs the
   * transport's onmessage): counts each request in and its response out, and refuses requests
   * that arrive once shutdown has begun.
   */
  track(transport: Transport): void {
    const ids = new Set<Id>();
    this.pending.set(transport, ids);
    // TODO 6: wrap transport.onmessage (add the id of each request to `ids`; once stopping,
    // answer a new request with the error SHUTTING_DOWN instead of delivering it; forget the id
    // of a notifications/cancelled) and transport.send (after sending a response, this.settle(ids, id)),
    // and remove the transport from `pending` in its onclose.
  }

  // Step 6: stop on a signal, and when stdin ends
  /** Begins shutdown on SIGTERM and SIGINT; a second signal while stopping exits at once (code 1). */
  listen(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    // TODO 6: on each signal, this.begin(signal); a second signal while stopping exits at once (1).
    void signals;
  }

  /**
   * Over stdio, begins shutdown when stdin ends: the host closed the pipe (it quit, or is done
   * with us). SDK 1.32's StdioServerTransport ignores the end of stdin, so without this the
   * process would outlive its host.
   */
  watchStdin(stdin: NodeJS.ReadableStream = process.stdin): void {
    // TODO 6: begin shutdown once `stdin` ends.
    void stdin;
  }

  /** Stops the server: refuse new requests, wait for the in-flight ones (up to the deadline), close, exit. */
  begin(reason: string): Promise<void> {
    this.started ??= this.run(reason);
    return this.started;
  }

  private async run(reason: string): Promise<void> {
    const { logger, deadlineMs } = this.options;
    logger.info('shutting down', { reason, inFlight: this.inFlight, deadlineMs });
    const drained = await this.drained(deadlineMs);
    if (!drained) logger.warning('deadline passed with requests still in flight', { inFlight: this.inFlight });
    for (const close of this.closers) {
      try {
        await close();
      } catch (error) {
        logger.warning('error while closing', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    logger.info('stopped', { reason });
    this.exit(drained ? 0 : 1);
  }

  private drained(deadlineMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), deadlineMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private settle(ids: Set<Id>, id: Id): void {
    ids.delete(id);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.idle && this.inFlight === 0) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
    }
  }

  /** Exits once what was written to stdout and stderr has gone out (the last response among it). */
  private exit(code: number): void {
    const exit = this.options.exit ?? ((c: number) => process.exit(c));
    process.stdout.write('', () => process.stderr.write('', () => exit(code)));
  }
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: Id; method: string } {
  return 'method' in message && 'id' in message && message.id !== undefined;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: Id } {
  return !('method' in message) && 'id' in message && message.id !== undefined;
}

function isCancellation(message: JSONRPCMessage): message is JSONRPCMessage & { params: { requestId: Id } } {
  return 'method' in message && message.method === 'notifications/cancelled' && !('id' in message);
}
