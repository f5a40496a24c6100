import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 6,
  slug: '06-auth',
  title: 'Authentication & security',
  steps: [
    {
      title: 'Serve Taskboard over Streamable HTTP, safely',
      file: 'src/http.ts',
      hints: [
        'Start from `createMcpExpressApp({ host, allowedHosts })` (from "@modelcontextprotocol/sdk/server/express.js"): it refuses a foreign Host header with 403 and parses JSON bodies with a 100 kB limit (413 beyond). Add your own middleware for the Origin header. The routes (`app.post/get/delete(url.pathname, …guards, endpoint)`) are already at the end of createHttpApp: they call your `handle(req, res)`.',
        'Keep a `Map<sessionId, transport>`. A request with an `mcp-session-id` header goes to that session\'s transport (`transport.handleRequest(req, res, req.body)`), or gets 404 when the map has no such id. A request without one must be an initialize request (`isInitializeRequest(req.body)`); anything else gets 400.',
        'For initialize: `const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => sessions.set(id, transport) }); transport.onclose = () => sessions.delete(transport.sessionId!); await createServer({ store }).connect(transport); await transport.handleRequest(req, res, req.body);`. Origin: `if (req.headers.origin !== undefined && !allowedOrigins.includes(req.headers.origin)) return res.status(403).json(…)`, with `allowedOrigins` defaulting to `[url.origin]`.',
      ],
    },
    {
      title: 'Accept API keys, compared by hash in constant time',
      file: 'src/api-keys.ts',
      hints: [
        'The server holds `{ name, sha256, scopes }` records, never a key. To check a presented key, hash it (SHA-256) and compare digests: both are 32 bytes whatever was sent, which is what `crypto.timingSafeEqual` needs (it throws on different lengths).',
        '`findApiKey(key, records)`: `const presented = createHash("sha256").update(key).digest()`; for each record `const stored = Buffer.from(record.sha256, "hex")`, and `stored.length === presented.length && timingSafeEqual(stored, presented)`. Never `===` on secrets or their hashes: string comparison stops at the first difference.',
        'The wiring is given: createVerifier (src/oauth.ts) calls `findApiKey(token, options.apiKeys)` first, and createHttpApp puts `requireBearerAuth({ verifier })` in front of the endpoint. A record found means the key is good; undefined means 401. Write no console line that mentions the key, its hash or the header.',
      ],
    },
    {
      title: 'Validate OAuth access tokens as a resource server',
      file: 'src/oauth.ts',
      hints: [
        'createHttpApp already passes `resourceMetadataUrl` to `requireBearerAuth`, which answers 401 with `WWW-Authenticate: Bearer … resource_metadata="…"` whenever your verifier throws an `InvalidTokenError`, and serves protectedResourceMetadata() at `/.well-known/oauth-protected-resource/mcp`. Your two parts: what that metadata says, and the JWT check in createVerifier.',
        'Metadata: `{ resource: url.href, authorization_servers: [issuer], scopes_supported: ["tasks:read", "tasks:write"], bearer_methods_supported: ["header"] }`. Verifier: `const jwks = createRemoteJWKSet(new URL(jwksUri))` once, then per token `jwtVerify(token, jwks, { issuer, audience: url.href, algorithms: ["RS256", "ES256"] })`.',
        'Wrap jwtVerify in try/catch and throw `new InvalidTokenError("Invalid or expired access token")` (any other error becomes a 500, and a 403 would tell the client to ask for more scope, not for a new token). Return `{ token, clientId: payload.client_id, scopes: typeof payload.scope === "string" ? payload.scope.split(" ") : [] (a token may carry no scope claim: it grants nothing), expiresAt: payload.exp, resource: url, extra: { subject: payload.sub } }`. Try API keys first, then the JWT.',
      ],
    },
    {
      title: 'Require a scope per tool, and know the caller',
      file: 'src/scopes.ts',
      hints: [
        'The tool a request calls is in its body: `req.body.method === "tools/call"` and `req.body.params.name`. A middleware after requireBearerAuth can compare what the message needs with `req.auth.scopes`.',
        'READ_TOOLS lists the tools that only read (list_tasks, search_tasks, estimate_task, find_task); every other tool needs tasks:write as well, so a tool you forget to list fails closed. Every request needs tasks:read. requireScopes (given) compares scopesFor(req.body) with the token\'s scopes and answers 403 insufficient_scope.',
        '`scopesFor`: `const { method, params } = message ?? {}; if (method === "tools/call" && !READ_TOOLS.has(String(params?.name))) return [READ_SCOPE, WRITE_SCOPE]; return [READ_SCOPE];`. Identity (server.ts): a tool handler\'s second argument is `extra`, and `extra.authInfo` is what the verifier returned: `assignee: assignee ?? (extra.authInfo?.extra as Caller | undefined)?.subject ?? null`.',
      ],
    },
    {
      title: 'Bind sessions to the principal that opened them',
      file: 'src/http.ts',
      hints: [
        'A session id travels in a header: whoever copies it could use the session. Store who opened the session next to its transport, and compare on every request.',
        'The principal is in `req.auth` after requireBearerAuth: `JSON.stringify([req.auth.clientId, req.auth.extra?.subject])`. Save it in `onsessioninitialized`.',
        '`const session = sessions.get(id); if (!session || session.owner !== ownerOf(req.auth)) return res.status(404).json({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found." }, id: null });` for POST, GET and DELETE alike.',
      ],
    },
    {
      title: "Call the webhook with the server's own credential",
      file: 'src/notify.ts',
      hints: [
        'The credential is configuration: read it once in `loadConfig(env)` (src/config.ts), refuse to start without it, and hand it to createHttpApp as `upstream: { url, token }`. The tool uses that value, never `process.env` at call time, never the caller\'s token.',
        '`loadConfig`: `if (!env.TASKBOARD_WEBHOOK_TOKEN) throw new Error("Missing configuration: set TASKBOARD_WEBHOOK_TOKEN …")`; main.ts catches it, prints the message and exits with 1 before listening.',
        'notify_team: `await fetch(upstream.url, { method: "POST", headers: { authorization: `Bearer ${upstream.token}`, "content-type": "application/json" }, body: JSON.stringify({ task: task.id, text: message }) })`; on `!response.ok` return a tool error with the status only, never the upstream\'s body (it may quote your request).',
      ],
    },
  ],
});
