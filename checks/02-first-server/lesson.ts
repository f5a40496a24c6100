import { defineLesson } from '../../common/lesson-meta.js';

export default defineLesson({
  number: 2,
  slug: '02-first-server',
  title: 'Building your first server',
  entry: 'src/main.ts',
  steps: [
    {
      title: 'Scaffold the server',
      file: 'src/server.ts',
      hints: [
        'The McpServer constructor takes two arguments: the server\'s identity (name, version) and options.',
        'Instructions go in the options: `new McpServer({ name, version }, { instructions: "…" })`.',
        "`new McpServer({ name: 'taskboard', version: '0.2.0' }, { instructions: 'Taskboard tracks projects (keys like WEB) and tasks (ids like WEB-12)…' })`",
      ],
    },
    {
      title: 'Register create_task',
      file: 'src/server.ts',
      hints: [
        'A tool is `server.registerTool(name, config, handler)`; the input schema is a plain object of zod schemas.',
        'priority is `z.enum(TASK_PRIORITIES).default("medium")`; project is `z.string().regex(PROJECT_KEY_PATTERN)`; title is `z.string().min(1).max(200)`; end each with `.describe("…")`.',
        'The handler receives the parsed arguments: `async ({ project, title, description, priority }) => { const task = store.createTask({ project, title, description, priority }); return { content: [{ type: "text", text: `Created ${describeTask(task)}` }] }; }`. Step 4 shows how to answer when the store throws.',
      ],
    },
    {
      title: 'Register list_tasks',
      file: 'src/server.ts',
      hints: [
        'store.listTasks({ project, status }) takes status as a list of statuses.',
        'Pass `status: status ? [status] : undefined` and join `tasks.map(describeTask)` with newlines.',
        'An empty project deserves an answer too: "No tasks in WEB." reads better to a model than an empty string.',
      ],
    },
    {
      title: 'Register complete_task with tool errors',
      file: 'src/server.ts',
      hints: [
        'Domain failures are not protocol errors: the call worked, the task did not. Return `isError: true` with text instead of throwing.',
        'Wrap the store call in try/catch and check `isTaskboardError(error)`; its message already says what is wrong.',
        '`catch (error) { if (isTaskboardError(error)) return { isError: true, content: [{ type: "text", text: error.message }] }; throw error; }`: a small helper saves writing it in all three tools.',
      ],
    },
    {
      title: 'Add the stdio entry point',
      file: 'src/main.ts',
      hints: [
        'Import StdioServerTransport from "@modelcontextprotocol/sdk/server/stdio.js".',
        'Top-level await works here (ESM): `await createServer().connect(new StdioServerTransport());`.',
        'Then `console.error("taskboard: listening on stdio")`. console.error writes to stderr; console.log would corrupt the protocol stream, from main.ts or from inside a tool handler alike.',
      ],
    },
  ],
});
