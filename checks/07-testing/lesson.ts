import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 7,
  slug: '07-testing',
  title: 'Testing & deployment',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Unit-test the pure parts',
      file: 'test/unit.test.ts',
      hints: [
        'A unit test calls one function and checks what it returns: no server, no client. Import it from ../src/… and use vitest: `import { describe, expect, test } from "vitest"`. Run your tests with `npm test` in lessons/07-testing.',
        'Good targets: `estimateHours(task)` (src/estimate.ts), `describeTask(task)` (src/server.ts), `instructionsFragment` and `contextFragment` (src/fragments.ts), and `loadConfig(env)` (src/config.ts) with an env object you build in the test. Pick inputs where a wrong rounding or a missing limit gives another answer: a title of exactly 40 and of 41 characters; a port of 65535 and of 65536.',
        '`expect(estimateHours({ priority: "high", title: "x".repeat(41) })).toBe(7)`, `expect(() => loadConfig({ TASKBOARD_PORT: "70000" })).toThrow(ConfigError)`, and the defaults: `expect(loadConfig({})).toMatchObject({ port: 3000, logLevel: "info" })`. Every test needs at least one expect: the checks count them.',
      ],
    },
    {
      title: 'Test the server through a client, in memory',
      file: 'test/server.test.ts',
      hints: [
        'Test through the protocol, the way a host uses the server: `createServer({ store })` with a fresh `TaskboardStore` per test, a `Client`, and `InMemoryTransport.createLinkedPair()`. Close both in afterEach. The checks plant one bug at a time in a correct server; each must turn one of your tests red.',
        'Cover each area with a test whose data tells right from wrong: list_tasks with a status (and tasks of other statuses in the store), search_tasks paged with a small limit (collect every id across pages), complete_task of an unknown id (isError true), create_task with a bad priority (refused), a task resource (its mimeType and JSON), prompts (standup_report with an assignee, an unknown project → code -32602), and resources/updated after a change to a subscribed task.',
        'For a notification, record what the client receives (`client.setNotificationHandler(ResourceUpdatedNotificationSchema, n => seen.push(n))`) and wait by condition: `await vi.waitFor(() => expect(seen.some(n => n.params.uri === uri)).toBe(true), { timeout: 2000 })`. Never `setTimeout`: the checks also run your tests against a correct server whose notifications come 300 ms late.',
      ],
    },
    {
      title: 'Test over stdio, and script the Inspector',
      file: 'test/stdio.test.ts',
      hints: [
        'Start the server as a host does: `new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", MAIN], env: { ...getDefaultEnvironment() }, stderr: "pipe" })`, where MAIN is `fileURLToPath(new URL("../src/main.ts", import.meta.url))`. Connect a Client, call a tool, close the client in afterEach.',
        'The SDK client skips a line on stdout that is not JSON, so a stray console.log goes unnoticed through it. Spawn the server yourself (`spawn(process.execPath, ["--import", "tsx", MAIN])`), write initialize and a tools/call as JSON lines, end stdin, wait for the exit, and check that every stdout line parses as JSON-RPC.',
        'For the smoke test, add to package.json\'s scripts: `"smoke": "mcp-inspector --cli node --import tsx src/main.ts --method tools/list"`, then run `npm run smoke` in lessons/07-testing.',
      ],
    },
    {
      title: 'Read the configuration from the environment',
      file: 'src/config.ts',
      hints: [
        'One zod schema for the environment: `z.object({ TASKBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000), … })`. Variables are strings: coerce the numbers. Remove empty variables before parsing, so `TASKBOARD_PORT=` means "use the default".',
        'Use `safeParse`; on failure, throw a `ConfigError` whose message names each bad variable and what was wrong: `parsed.error.issues.map(i => `${String(i.path[0])}: ${i.message}`)`. Never quote the value of TASKBOARD_WEBHOOK_TOKEN.',
        'main.ts already catches the ConfigError, writes its message as one line and exits 2. Map the parsed variables to the Config fields: `{ transport: e.TASKBOARD_TRANSPORT, host: e.TASKBOARD_HOST, port: e.TASKBOARD_PORT, logLevel: e.TASKBOARD_LOG_LEVEL, dataPath: e.TASKBOARD_DATA, …, ...lesson06Settings(e) }`. Lesson 06\'s variables go into the schema as optional strings (`z.url().optional()` for the URLs); `lesson06Settings` (given) then refuses HTTP without a credential and loads the keys file.',
      ],
    },
    {
      title: 'Write structured logs, and forward them to the client',
      file: 'src/logger.ts',
      hints: [
        'createLogger writes one JSON object per line to stderr: `write(JSON.stringify({ ...fields, time: new Date().toISOString(), level, msg }) + "\\n")`, and nothing for a level below its own (compare positions in LOG_LEVELS).',
        '`logStoreEvents(store, logger)`: `store.subscribe(event => { const { level, msg, fields } = describeEvent(event); logger.log(level, msg, fields); })`. `forwardStoreEvents(server, store)` does the same with `server.sendLoggingMessage({ level, logger: "taskboard", data: { msg, ...fields } })`.',
        'McpServer.sendLoggingMessage already drops a message below the level the client set with logging/setLevel, as long as the logging capability is declared in the constructor (it is). Only send while `server.isConnected()`, catch the promise, and stop listening in `server.server.onclose`.',
      ],
    },
    {
      title: 'Shut down gracefully',
      file: 'src/shutdown.ts',
      hints: [
        'Three triggers: `process.on("SIGTERM")`, `process.on("SIGINT")`, and, over stdio, `process.stdin.once("end")` (the SDK\'s StdioServerTransport ignores the end of stdin). Each calls `shutdown.begin(reason)` once.',
        'To know what is in flight, wrap the transport after connect: in `transport.onmessage`, remember the id of each request; in `transport.send`, forget the id of each response. `begin` waits until none is left (or the deadline passes), runs the closers, then exits.',
        'Exit only once stdout has flushed, or the last answer can be lost: `process.stdout.write("", () => process.exit(code))`. Exit 0 when everything finished, 1 when the deadline cut something off.',
      ],
    },
    {
      title: 'Serve Streamable HTTP with a health check',
      file: 'src/http.ts',
      hints: [
        'In the `node:http` handler, before the request goes to lesson 06\'s app (`app(req, res)`), answer `GET /healthz` yourself: a load balancer or container runtime polls it to know the server is alive, and it sends no API key, so the app\'s guards would refuse it (401).',
        '`if (path === HEALTH_PATH) return sendJson(res, 200, { status: "ok", name: "taskboard", version: SERVER_VERSION })`.',
        'Answer 503 with `{ status: "stopping" }` once `shutdown.stopping` is true, so traffic moves elsewhere while in-flight requests finish.',
      ],
    },
    {
      title: 'Build and package the server',
      file: 'package.json',
      hints: [
        'A package a client can run needs: a build that writes dist/, a `bin` naming the built file, `files` listing what to ship, `engines` saying which Node it needs. `npm pack --dry-run` lists what would be shipped.',
        '`"bin": { "taskboard-mcp": "dist/taskboard-mcp.js" }`, `"files": ["dist"]`, `"engines": { "node": ">=22.19" }`. The build script is already there: it type-checks, then bundles src/main.ts (with the Taskboard domain, which lives outside this folder) into that one file.',
        'The built file must start with `#!/usr/bin/env node`: put that line at the very top of src/main.ts (esbuild keeps it). Without it, npm\'s bin link runs the file as a shell script.',
      ],
    },
    {
      title: 'Print the client configuration',
      file: 'scripts/client-config.ts',
      hints: [
        'Each client has its own file and shape. Claude Desktop and Cursor: `{ "mcpServers": { "taskboard": { "command", "args", "env" } } }`. VS Code (.vscode/mcp.json): `{ "servers": { "taskboard": { "type": "stdio", "command", "args", "env" } } }`.',
        'Use absolute paths: `command: process.execPath` (a desktop app does not see your shell\'s PATH) and `args: [join(PACKAGE_DIR, "dist", "taskboard-mcp.js")]`. For --http the entry is a URL built from the config: `http://${config.host}:${config.port}/mcp` (VS Code: `{ type: "http", url, headers }`, Cursor: `{ url, headers }`).',
        'The HTTP server wants `Authorization: Bearer <API key>` (lesson 06), and the key must not be written into the file. VS Code: `headers: { Authorization: "Bearer ${input:taskboard-api-key}" }` plus a top-level `inputs: [{ type: "promptString", id: "taskboard-api-key", description: "Taskboard API key", password: true }]`. Cursor: `headers: { Authorization: "Bearer ${env:TASKBOARD_API_KEY}" }`.',
        'Claude Desktop\'s file only starts processes; for HTTP print the mcp-remote bridge: `{ "mcpServers": { "taskboard": { "command": "npx", "args": ["-y", "mcp-remote", url, "--header", "Authorization:${TASKBOARD_AUTH_HEADER}"], "env": { "TASKBOARD_AUTH_HEADER": "Bearer <your Taskboard API key>" } } } }`.',
      ],
    },
  ],
});
