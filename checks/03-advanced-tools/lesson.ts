import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 3,
  slug: '03-advanced-tools',
  title: 'Advanced tool patterns',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Search with complex parameters',
      file: 'src/search.ts',
      hints: [
        'Build the input from zod pieces: `filter` is a `z.object({...})` of optional fields, `status` and `priority` are `z.array(z.enum(...))`, `due` is an object of two `z.iso.date()`s. Every field ends with `.describe(…)`, nested ones too.',
        '`limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT)`. Page with `matches.slice(offset, offset + limit)`, and make the cursor opaque: `Buffer.from(JSON.stringify({ offset })).toString("base64url")`. Decoding can fail: throw a TaskboardError("INVALID_INPUT", …) so it becomes a tool error.',
        'Map `filter.due?.after` / `before` to the store\'s `dueAfter` / `dueBefore` and call `store.listTasks(…)`. Set `nextCursor` only when `offset + limit < matches.length`, and answer `{ content: [{ type: "text", text: JSON.stringify(page) }] }` inside runTool(…).',
      ],
    },
    {
      title: 'Return structured output',
      file: 'src/search.ts',
      hints: [
        'Declare `outputSchema` next to `inputSchema`: a raw shape like `{ tasks: z.array(TaskSummary), nextCursor: z.string().optional() }`.',
        'Return the same object twice: `structuredContent: page` for programs, and `JSON.stringify(page)` as text for clients that ignore structured content.',
        'The outputSchema is strict about extra keys (`additionalProperties: false`): return exactly the fields TaskSummary lists (pick them from each Task), and leave nextCursor out rather than setting it to null.',
      ],
    },
    {
      title: 'Annotate every tool',
      file: 'src/server.ts',
      hints: [
        'Annotations go in the tool config: `annotations: { readOnlyHint, destructiveHint, idempotentHint, openWorldHint }`. Set them on every tool, search_tasks (in src/search.ts) included.',
        'Ask of each tool: does it change anything (readOnlyHint)? Can it remove or overwrite something (destructiveHint)? Does a second identical call change anything more (idempotentHint)? Does it reach beyond the board (openWorldHint)?',
        'search_tasks / list_tasks: `{ readOnlyHint: true, openWorldHint: false }`. create_task: readOnly false, destructive false, idempotent false. complete_task: idempotent true. delete_task: `{ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false }`, and its handler calls `store.deleteTask(id)` inside runTool.',
      ],
    },
    {
      title: 'Handle errors without leaking internals',
      file: 'src/errors.ts',
      hints: [
        'Two kinds of failure: a TaskboardError was written for the caller (pass its message on); anything else may carry secrets, paths and stack frames (never send it).',
        'For the second kind, log the details with `console.error(…)` (stderr) and return `toolError(…)` with a generic text. A short reference (`randomUUID().slice(0, 8)`) in both lets an operator match the report to the log.',
        '`if (isTaskboardError(error)) return toolError(error.message); const ref = randomUUID().slice(0, 8); console.error(`unexpected error (ref ${ref}):`, error); return toolError(`Internal error (ref ${ref}); it has been logged.`);`',
      ],
    },
    {
      title: 'Stream progress and log messages',
      file: 'src/import.ts',
      hints: [
        'Declare logging first: `capabilities: { logging: {} }` in the McpServer options in src/server.ts (TODO 5 there). The handler gets `(args, extra)`; the client\'s token is `extra._meta?.progressToken`.',
        'After each item: `if (progressToken !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: index + 1, total: tasks.length } })`. No token, no progress.',
        'Log with `await server.sendLoggingMessage({ level: "info", logger: "import_tasks", data: "Importing 4 tasks into WEB" }, extra.sessionId)`, once at the start and once at the end.',
      ],
    },
    {
      title: 'Cancel an import cleanly',
      file: 'src/import.ts',
      hints: [
        'In the loop, `await options.beforeEachItem?.(index)` first, then look at `extra.signal.aborted`: the client may have cancelled while the item was being prepared.',
        'All or nothing: push each prepared item into a `staged` list and call store.createTask only after the loop, when no cancellation came. (Or create as you go and delete what you created when the signal aborts.)',
        'On abort, return `toolError("The import was cancelled; nothing was created.")` right away (the SDK drops the answer to a cancelled request, but the handler must stop). Log it with sendLoggingMessage if you like.',
      ],
    },
    {
      title: 'Enforce a deadline on a slow dependency',
      file: 'src/estimate.ts',
      hints: [
        'One signal for both reasons to stop: `const signal = AbortSignal.any([extra.signal, AbortSignal.timeout(deadlineMs)])`, and hand it to `estimator(task, signal)` so the dependency can stop too.',
        'An estimator that ignores its signal never settles: race it against the signal with the `untilAborted(promise, signal)` helper given in the file.',
        'In the catch: `if (extra.signal.aborted)` the client cancelled; `else if (signal.aborted)` the deadline passed: `return toolError(`Timed out: no estimate for ${task.id} within ${deadlineMs} ms. Try again later.`)` (name the task). Anything else: rethrow (runTool handles it).',
      ],
    },
  ],
});
