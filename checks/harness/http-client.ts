import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { ANSWER_TIMEOUT_MS, CHECK_CLIENT } from './connect.js';

/**
 * Raw HTTP for checks that play an attacker or a careless client: any header (a forged `Host`
 * too, which fetch() would silently replace), any body, and the whole answer back: status,
 * headers, text and the JSON-RPC messages in it (from a JSON body or an SSE stream).
 */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON-RPC messages of the body: a JSON body, or each `data:` line of an event stream. */
  messages: Array<Record<string, unknown>>;
}

export interface HttpSend {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
}

/** Every answer a RawHttp client received, for the checks that look for leaked secrets. */
export class RawHttp {
  readonly answers: HttpAnswer[] = [];

  constructor(readonly url: URL) {}

  async send(how: HttpSend = {}): Promise<HttpAnswer> {
    const answer = await sendHttp(this.url, how);
    this.answers.push(answer);
    return answer;
  }

  /** Everything received so far, headers included, as one text to search. */
  transcript(): string {
    return this.answers.map((a) => `${a.status} ${JSON.stringify(a.headers)}\n${a.text}`).join('\n');
  }

  /**
   * Opens an MCP session the way a client does (initialize, then notifications/initialized)
   * and returns its id, or the refusing answer when there is no session id.
   */
  async openSession(headers: Record<string, string> = {}): Promise<{ sessionId?: string; answer: HttpAnswer }> {
    const answer = await this.send({ method: 'POST', headers, body: initializeRequest() });
    const sessionId = answer.headers['mcp-session-id'];
    if (typeof sessionId !== 'string') return { answer };
    await this.send({ method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId }, body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
    return { sessionId, answer };
  }
}

export function initializeRequest(id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CHECK_CLIENT },
  };
}

/** A tools/call request, for raw checks. */
export function toolCall(name: string, args: Record<string, unknown>, id = 2) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

/** One request over node:http, with the harness's answer deadline. */
export function sendHttp(url: URL, how: HttpSend = {}): Promise<HttpAnswer> {
  const body = how.body === undefined ? undefined : typeof how.body === 'string' ? how.body : JSON.stringify(how.body);
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(how.method === 'POST' || how.method === undefined ? { 'mcp-protocol-version': LATEST_PROTOCOL_VERSION } : {}),
    ...how.headers,
  };
  if (headers['mcp-session-id'] === undefined) delete headers['mcp-session-id'];
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: how.method ?? 'POST', headers, timeout: ANSWER_TIMEOUT_MS, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const isStream = String(res.headers['content-type'] ?? '').includes('text/event-stream');
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          // A GET opens a standalone event stream that stays open: the headers are the answer.
          if (isStream && how.method === 'GET') res.destroy();
        });
        res.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, messages: parseMessages(text, isStream) });
        });
        if (isStream && how.method === 'GET') {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', messages: [] });
          res.destroy();
        }
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function parseMessages(text: string, isStream: boolean): Array<Record<string, unknown>> {
  const parts = isStream
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
    : [text];
  const messages: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    try {
      const value: unknown = JSON.parse(part);
      for (const item of Array.isArray(value) ? value : [value]) if (item && typeof item === 'object') messages.push(item as Record<string, unknown>);
    } catch {
      // not JSON (an HTML error page, an empty body): no messages
    }
  }
  return messages;
}
