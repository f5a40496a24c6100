import { defineLesson } from '../../common/lesson-meta.js';

// The capstone has no step-by-step TODOs: SPEC.md is the assignment. The runner still needs
// steps, so there is one per requirement AREA of the spec (title = the area, file = the module
// the area lives in), each marked `TODO N` in the skeleton.
export default defineLesson({
  number: 8,
  slug: '08-capstone',
  title: 'Capstone: the Taskboard server, from its spec',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'R-STORE: the sqlite store',
      file: 'src/store.ts',
      hints: [
        'Open the file with `new DatabaseSync(path)` from node:sqlite, then `PRAGMA journal_mode = WAL` and `PRAGMA busy_timeout = 5000`. Keep the migrations as an array of SQL strings; apply those past `PRAGMA user_version`, each in a transaction together with `PRAGMA user_version = N`.',
        'One helper, `transaction(work)`: `BEGIN IMMEDIATE`, run work, `COMMIT`; on a throw `ROLLBACK` and rethrow. Every write goes through it, so a crash leaves a write whole or absent (R-STORE-4) and two writers cannot read the same "next number" (R-STORE-3).',
        'The next id of a project: `SELECT COALESCE(MAX(number), 0) + 1 FROM tasks WHERE project = ?` inside the same transaction as the INSERT, with `UNIQUE (project, number)` as the safety net. import_tasks inserts all items in ONE transaction.',
      ],
    },
    {
      title: 'R-STATUS: legal status moves, and who may make them',
      file: 'src/status.ts',
      hints: [
        '`STATUS_TRANSITIONS` in taskboard/store.ts is the table of legal moves; a move to the current status is not legal either.',
        'Check the move first (illegal for everyone, admins too), then who: `done → todo` needs tasks:admin; an assigned task needs caller.name === task.assignee or tasks:admin.',
        'Run the check inside the store\'s transaction (read the task, decide, write): `store.setStatus(id, task => checkTransition(task, status, caller))`. Throw a TaskboardError; the tool turns it into isError.',
      ],
    },
    {
      title: 'R-TOOLS: the five tools',
      file: 'src/server.ts',
      hints: [
        'registerTool for create_project, create_task, list_tasks, set_status, import_tasks, each with a description and a zod inputSchema; `annotations: { readOnlyHint: true }` on list_tasks.',
        'Answer `structuredContent` (`{ task }`, `{ tasks }`, `{ created, ids }`) and the same JSON as text content. Catch TaskboardError and answer `{ isError: true, content: [{ type: "text", text: error.message }] }`.',
        'The caller: `extra.authInfo` over HTTP (clientId = the key\'s name, scopes), the local user over stdio. Check tasks:write in every write tool before touching the store.',
      ],
    },
    {
      title: 'R-RES: task resources and subscriptions',
      file: 'src/server.ts',
      hints: [
        '`new ResourceTemplate("taskboard://tasks/{id}", { list: undefined })`, read callback answering one content with mimeType application/json and the task as JSON text.',
        'An unknown id: `throw new McpError(-32002, message)` (the SDK has no constant for "resource not found").',
        'Declare `capabilities: { resources: { subscribe: true } }`, handle SubscribeRequestSchema / UnsubscribeRequestSchema on `server.server` with a Set of URIs, and on every committed change of a subscribed task call `server.server.sendResourceUpdated({ uri })`.',
      ],
    },
    {
      title: 'R-PROMPT: the triage prompt',
      file: 'src/server.ts',
      hints: [
        'registerPrompt("triage", { argsSchema: { project: z.string() } }, ({ project }) => ({ messages: [...] })).',
        'One user message whose text lists the tasks that are not done, each by id.',
        'An unknown project is `throw new McpError(ErrorCode.InvalidParams, message)` (-32602).',
      ],
    },
    {
      title: 'R-AUTH: API keys, access tokens and scopes',
      file: 'src/auth.ts',
      hints: [
        'Lesson 06 did this: the keys file holds SHA-256 hashes; compare the hash of the presented key with each stored one with `timingSafeEqual`.',
        'An `OAuthTokenVerifier` whose verifyAccessToken returns `{ token, clientId: record.name, scopes: record.scopes }` or throws `InvalidTokenError` (401), used with `requireBearerAuth({ verifier })` in front of /mcp.',
        'A session belongs to the key that opened it: store the owner with the transport and answer 404 to anyone else.',
        'Access tokens (R-AUTH-4, lesson 06 step 3): the same verifier, when the credential is no known key, calls `jwtVerify(token, createRemoteJWKSet(new URL(jwksUri)), { issuer, audience: url.href, algorithms: ["RS256", …] })` from jose; any throw is an `InvalidTokenError`. The caller is `payload.sub` (carry it in `authInfo.extra`), the scopes `payload.scope.split(" ")`.',
        'R-AUTH-6: serve `{ resource: url.href, authorization_servers: [issuer], scopes_supported: [...] }` at `/.well-known/oauth-protected-resource/mcp` and pass its URL as `requireBearerAuth({ verifier, resourceMetadataUrl })`: every 401 then names it.',
      ],
    },
    {
      title: 'R-HTTP: Streamable HTTP',
      file: 'src/http.ts',
      hints: [
        'One StreamableHTTPServerTransport (and one McpServer) per session, `sessionIdGenerator: randomUUID`; POST, GET and DELETE on /mcp; unknown session 404; no session and not initialize 400.',
        '`hostHeaderValidation([...])` from the SDK for DNS rebinding (403), `express.json({ limit })` with an error handler that answers a body that is not JSON with 400 and the JSON-RPC error -32700.',
        '`GET /healthz` → `{ status: "ok" }`. Print `MCP server on <url>` on stderr once listening (with TASKBOARD_PORT=0 the port comes from `server.address()`).',
      ],
    },
    {
      title: 'R-STDIO: the stdio entry point',
      file: 'src/main.ts',
      hints: [
        'With TASKBOARD_TRANSPORT unset or stdio: `await createServer(...).connect(new StdioServerTransport())`.',
        'Nothing but JSON-RPC on stdout: every log line goes to stderr (console.error).',
        'The SDK answers unknown methods (-32601) and bad params itself; a line that is not JSON is skipped. Make sure no handler of yours can throw outside a request.',
      ],
    },
    {
      title: 'R-CONF: configuration from the environment',
      file: 'src/config.ts',
      hints: [
        'One zod schema for the TASKBOARD_ variables, `z.coerce.number().int().min(0).max(65535)` for the port, `safeParse`, and a ConfigError naming each bad variable.',
        'main.ts catches the ConfigError, prints it on stderr and exits 2, before opening the database.',
        'HTTP on a host that is not 127.0.0.1, ::1 or localhost without TASKBOARD_API_KEYS_FILE is a ConfigError too.',
      ],
    },
    {
      title: 'R-SHUT: shut down cleanly',
      file: 'src/main.ts',
      hints: [
        '`process.on("SIGTERM", …)`, `process.on("SIGINT", …)` and over stdio `process.stdin.once("end", …)` all call one shutdown(), once.',
        'shutdown closes the HTTP sessions and server, then `store.close()`: closing the last connection checkpoints the WAL and removes the -wal file.',
        'Exit 0 once stdout has flushed: `process.stdout.write("", () => process.exit(0))`.',
      ],
    },
    {
      title: 'R-LOG: structured logs, and MCP logging',
      file: 'src/log.ts',
      hints: [
        'One JSON object per line on stderr (`process.stderr.write(JSON.stringify({ ...fields, time, level, msg }) + "\\n")`), never stdout: over stdio that is the protocol (lesson 07, step 5).',
        'Log each tools/call once it is answered: the tool, the outcome (`ok`, `tool_error`, `cancelled`) and `durationMs` from `performance.now()`. Log names and ids, never arguments or headers: an Authorization header or an API key must never reach a log.',
        'Declare `capabilities: { logging: {} }` in the McpServer constructor (declared later, the SDK never installs logging/setLevel: -32601). `server.sendLoggingMessage` filters by level but goes out on no request\'s stream; to send before the answer, on the request\'s stream, keep the level yourself (`server.server.setRequestHandler(SetLevelRequestSchema, …)`: one McpServer per connection, one level) and use `extra.sendNotification({ method: "notifications/message", params: { level, logger: "taskboard", data } })`.',
      ],
    },
    {
      title: 'R-PROG: progress and cancellation of import_tasks',
      file: 'src/import.ts',
      hints: [
        'The progressToken is `extra._meta?.progressToken` (0 is a token too: test `!== undefined`). Without one, send no notifications/progress; with one, send `{ progressToken, progress, total }` as items are written, progress increasing, total = the number of items.',
        'The import must give the event loop a turn between chunks (`await new Promise(setImmediate)`), or a notifications/cancelled cannot even be read until it is over. After each chunk check `extra.signal.aborted`.',
        'Cancelled: throw inside the transaction so it ROLLBACKs, nothing of the import stays. Hold the store\'s write lock for the whole import, so no other write lands inside its transaction.',
      ],
    },
    {
      title: 'R-PKG: the server as an npm package',
      file: 'package.json',
      hints: [
        'package.json is given complete (packaging is lesson 07\'s step 8): `npm run build` bundles src/main.ts (whose first line is the shebang) and the npm packages with esbuild into dist/taskboard.js, and the checks pack, install and run that. They pass once your server does.',
        'Run what the checks run: `cd lessons/08-capstone && npm run build && npm pack --dry-run`, then `node dist/taskboard.js` (it should wait for JSON-RPC on stdin, logging only to stderr).',
        'A bundle must not reach outside itself at run time: no file read relative to src/, nothing imported only at run time that esbuild cannot see, and the version the server reports is the version in package.json.',
      ],
    },
  ],
});
