import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 5,
  slug: '05-prompts',
  title: 'Prompt templates',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Declare prompts with argument schemas',
      file: 'src/prompts.ts',
      hints: [
        'A prompt is `server.registerPrompt(name, { title, description, argsSchema }, handler)`; argsSchema is a plain object of zod schemas, like a tool\'s inputSchema, except that every argument is a string.',
        'An argument is required unless its schema is `.optional()`. `.describe("…")` becomes the argument\'s description in prompts/list. The handler receives the parsed arguments and returns `{ messages: [{ role: "user", content: { type: "text", text } }] }`.',
        '`argsSchema: { project: z.string().regex(PROJECT_KEY_PATTERN).describe("Key of the project, for example \\"WEB\\"."), assignee: z.string().optional().describe("Only this person\'s tasks.") }`, and in the handler `store.listTasks({ project, assignee: assignee || undefined })` (a form sends "" for an empty field) joined with one line per task (`${t.id} [${t.status}] ${t.title}`).',
      ],
    },
    {
      title: 'Complete project keys and task ids',
      file: 'src/prompts.ts',
      hints: [
        'Wrap the argument\'s schema: `completable(schema, (value, context) => suggestions)` from "@modelcontextprotocol/sdk/server/completable.js". The SDK then declares the completions capability and answers completion/complete for you.',
        'Call .describe() on the inner schema, before completable(): `completable(z.string().describe("…"), …)`. A .describe() after it returns a copy without the completer. The arguments already chosen arrive as `context?.arguments`, a record of strings.',
        'Projects: `store.listProjects().map(p => p.key).filter(k => k.startsWith(value.toUpperCase()))`. Tasks: `const project = context?.arguments?.project || undefined;` ("" counts as none) then `store.listTasks(project ? { project } : {})` (return [] when `!store.hasProject(project)`), mapped to ids and filtered with startsWith(value).',
      ],
    },
    {
      title: 'Write a multi-message prompt',
      file: 'src/prompts.ts',
      hints: [
        'A prompt can return a whole conversation: `messages` is a list of `{ role: "user" | "assistant", content }`. An example exchange teaches the model the answer\'s shape better than a description of it.',
        'Return, in order: a user message asking to triage a made-up task (say DOCS-7), an assistant message with the model answer, then the real request as a user message naming the real task.',
        '`messages: [textMessage("user", "Triage DOCS-7 …"), textMessage("assistant", "Priority: low. …"), textMessage("user", `Now triage ${task.id} "${task.title}" the same way.`)]`',
      ],
    },
    {
      title: 'Embed the task as a resource',
      file: 'src/prompts.ts',
      hints: [
        'A message\'s content can be an embedded resource: `{ type: "resource", resource: { uri, mimeType, text } }`. The client receives the data itself, labelled with its URI.',
        'Use `taskUri(task)` for the uri, "application/json" for the mimeType, and `JSON.stringify(task)` of the task read from the store inside the handler for the text.',
        'Append `{ role: "user", content: { type: "resource", resource: { uri: taskUri(task), mimeType: "application/json", text: JSON.stringify(task, null, 2) } } }` to triage_task\'s messages.',
      ],
    },
    {
      title: 'Compose prompts from shared fragments',
      file: 'src/fragments.ts',
      hints: [
        'Export `roleFragment()`, `contextFragment(project, tasks)` and `instructionsFragment(steps)` from src/fragments.ts; each returns a string. A task line carries at least id, status, priority and title (`- ${t.id} [${t.status}] (${t.priority}) ${t.title}`); the steps are numbered from 1, one per line (`${i + 1}. ${step}`). Then import them in prompts.ts.',
        'standup_report and plan_sprint build their text as `[roleFragment(), contextFragment(project, tasks), …, instructionsFragment([...])].join("\\n\\n")`, with `tasks = store.listTasks({ project })` (for standup_report, only the assignee\'s tasks when one is given).',
        'plan_sprint: `argsSchema: { project: projectArgument(store), goal: z.string().optional().describe("…") }`, handler `({ project, goal }) => ({ messages: [textMessage("user", [roleFragment(), contextFragment(store.getProject(project), store.listTasks({ project })), goal ? `Sprint goal: ${goal}` : "Propose a goal.", instructionsFragment([...])].join("\\n\\n"))] })`.',
      ],
    },
    {
      title: 'Reject invalid arguments with InvalidParams',
      file: 'src/prompts.ts',
      hints: [
        'A missing argument is already rejected by the SDK with -32602. An ordinary error thrown in a handler becomes -32603 (InternalError), which tells the client the server is broken, not that the arguments are wrong.',
        'Catch the TaskboardError the store throws (`isTaskboardError(error)`) and throw `new McpError(ErrorCode.InvalidParams, error.message)`: the store\'s message already names the project or task.',
        'Write `findProject(store, key)` and `findTask(store, key, id)` with that try/catch, and in findTask also `if (task.project !== key) throw new McpError(ErrorCode.InvalidParams, `Task ${id} is not in project ${key}.`)`. Use them in every handler.',
      ],
    },
  ],
});
