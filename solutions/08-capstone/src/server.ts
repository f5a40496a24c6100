import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema, type CallToolResult, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isTaskboardError, TASK_PRIORITIES, TASK_STATUSES } from '../../../taskboard/index.js';
import { callerName } from './auth.js';
import { checkTransition, READ_SCOPE, WRITE_SCOPE, type Caller } from './status.js';
import { importWithProgress } from './import.js';
import { clientLog, logger, logToolCall, type Outcome } from './log.js';
import { ImportCancelled, type SqliteStore, type StoredTask } from './store.js';

export const SERVER_NAME = 'taskboard';
export const SERVER_VERSION = '8.0.0';
/** The most items one import_tasks call takes (R-TOOLS-5). */
export const MAX_IMPORT = 5000;
/** "Resource not found": the code the MCP spec gives it (the SDK has no constant). */
export const RESOURCE_NOT_FOUND = -32002;

export interface ServerOptions {
  store: SqliteStore;
  /** Who calls when the transport carries no credential (stdio: the local user, every scope). */
  localCaller: Caller;
}

const taskShape = {
  id: z.string(),
  project: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assignee: z.string().nullable(),
  labels: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
};
const itemShape = {
  title: z.string().min(1).max(200).describe('What is to be done'),
  priority: z.enum(TASK_PRIORITIES).optional().describe('Default medium'),
  assignee: z.string().min(1).max(100).optional().describe('Who does it; only they (or an admin) may move it'),
  labels: z.array(z.string().min(1).max(40)).max(20).optional(),
};

/** One McpServer for one connection (a stdio process, or one HTTP session). */
export function createServer({ store, localCaller }: ServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { resources: { subscribe: true }, logging: {} }, instructions: 'Taskboard: projects and their tasks. Read SPEC.md for the rules of status moves.' },
  );
  const callerOf = (authInfo: AuthInfo | undefined): Caller => (authInfo ? { name: callerName(authInfo), scopes: authInfo.scopes } : localCaller);

  const mcpLog = clientLog(server);

  /**
   * Runs a tool body: a domain error becomes an isError result the model can act on. Every call
   * leaves one line on stderr (R-LOG-1); a write tells the client what it did or why it was
   * refused (R-LOG-2), before the answer.
   */
  const run = async (tool: string, extra: ToolExtra, scope: string, body: (caller: Caller) => Record<string, unknown> | Promise<Record<string, unknown>>): Promise<CallToolResult> => {
    const started = performance.now();
    const caller = callerOf(extra.authInfo);
    let outcome: Outcome = 'tool_error';
    let result: CallToolResult;
    if (!caller.scopes.includes(scope)) {
      result = toolError(`This tool needs the ${scope} scope; ${caller.name} has ${caller.scopes.join(', ') || 'none'}.`);
    } else {
      try {
        const structuredContent = await body(caller);
        outcome = 'ok';
        result = { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
      } catch (error) {
        if (error instanceof ImportCancelled) {
          // The SDK sends no answer to a cancelled request; the log still says how it ended.
          outcome = 'cancelled';
          result = toolError(error.message);
        } else if (isTaskboardError(error)) {
          result = toolError(error.message);
        } else {
          // An unexpected failure: log it for the operator, tell the client only that it happened.
          outcome = 'error';
          logToolFailure(tool, error);
          result = toolError('Internal error: the operation was not completed.');
        }
      }
    }
    if (scope !== READ_SCOPE && outcome !== 'cancelled') {
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      await mcpLog.send(extra.sendNotification, outcome === 'ok' ? 'info' : 'warning', outcome === 'ok' ? { tool, caller: caller.name, result: summary(result.structuredContent) } : { tool, caller: caller.name, error: text });
    }
    logToolCall({ tool, caller: caller.name, outcome, durationMs: performance.now() - started, session: extra.sessionId });
    return result;
  };

  // Area R-TOOLS: the tools
  server.registerTool(
    'create_project',
    { title: 'Create a project', description: 'Creates a project with a unique key (2–10 capital letters or digits).', inputSchema: { key: z.string(), name: z.string().min(1).max(100) }, annotations: { idempotentHint: false } },
    ({ key, name }, extra) => run('create_project', extra, WRITE_SCOPE, async () => ({ project: await store.createProject(key, name) })),
  );
  server.registerTool(
    'create_task',
    { title: 'Create a task', description: 'Creates a task (status todo) in a project.', inputSchema: { project: z.string(), ...itemShape }, outputSchema: { task: z.object(taskShape) } },
    ({ project, ...item }, extra) => run('create_task', extra, WRITE_SCOPE, async () => ({ task: await store.createTask(project, item) })),
  );
  server.registerTool(
    'list_tasks',
    { title: 'List tasks', description: 'Lists the tasks of a project, oldest first, optionally only those of one status.', inputSchema: { project: z.string(), status: z.enum(TASK_STATUSES).optional() }, outputSchema: { tasks: z.array(z.object(taskShape)) }, annotations: { readOnlyHint: true } },
    ({ project, status }, extra) => run('list_tasks', extra, READ_SCOPE, async () => ({ tasks: await store.listTasks(project, status) })),
  );
  server.registerTool(
    'set_status',
    { title: 'Move a task', description: 'Moves a task to another status. Legal moves: todo → in_progress|blocked|done; in_progress → todo|blocked|done; blocked → todo|in_progress; done → todo (admins only). An assigned task is moved by its assignee or an admin.', inputSchema: { id: z.string(), status: z.enum(TASK_STATUSES) }, outputSchema: { task: z.object(taskShape) } },
    ({ id, status }, extra) => run('set_status', extra, WRITE_SCOPE, async (caller) => ({ task: await store.setStatus(id, (task) => checkTransition(task, status, caller)) })),
  );
  server.registerTool(
    'import_tasks',
    { title: 'Import tasks', description: `Creates up to ${MAX_IMPORT} tasks in one project, all or none.`, inputSchema: { project: z.string(), items: z.array(z.object(itemShape)).min(1).max(MAX_IMPORT) }, outputSchema: { created: z.number(), ids: z.array(z.string()) } },
    ({ project, items }, extra) =>
      run('import_tasks', extra, WRITE_SCOPE, async () => {
        const tasks = await importWithProgress(store, project, items, extra);
        return { created: tasks.length, ids: tasks.map((t) => t.id) };
      }),
  );

  // Area R-RES: task resources and subscriptions
  server.registerResource(
    'task',
    new ResourceTemplate('taskboard://tasks/{id}', { list: undefined }),
    { title: 'A task', description: 'One task as JSON', mimeType: 'application/json' },
    async (uri, { id }) => {
      let task: StoredTask;
      try {
        task = await store.getTask(String(id));
      } catch (error) {
        if (isTaskboardError(error)) throw new McpError(RESOURCE_NOT_FOUND, error.message, { uri: uri.href });
        throw error;
      }
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(task) }] };
    },
  );
  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const stop = store.subscribe((taskId) => {
    const uri = `taskboard://tasks/${taskId}`;
    if (subscribed.has(uri) && server.isConnected()) server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previousOnClose?.();
  };

  // Area R-PROMPT: the triage prompt
  server.registerPrompt(
    'triage',
    { title: 'Triage a project', description: 'Asks the model to order the open tasks of a project by what to do next.', argsSchema: { project: z.string().describe('Project key, like WEB') } },
    async ({ project }) => {
      let open: StoredTask[];
      try {
        open = (await store.listTasks(project)).filter((t) => t.status !== 'done');
      } catch (error) {
        if (isTaskboardError(error)) throw new McpError(ErrorCode.InvalidParams, error.message);
        throw error;
      }
      const lines = open.map((t) => `- ${t.id} [${t.status}, ${t.priority}${t.assignee ? `, ${t.assignee}` : ''}] ${t.title}`);
      return {
        description: `Triage of ${project}`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: `Here are the open tasks of project ${project}:\n${lines.join('\n') || '(none)'}\n\nOrder them by what should be done next, and say which blocked tasks need a decision.`,
            },
          },
        ],
      };
    },
  );
  return server;
}

/** What a tool handler gets besides its arguments. */
type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What the client's log message says a write made: ids, never the whole import. */
function summary(content: Record<string, unknown> | undefined): Record<string, unknown> {
  const { task, project, created } = (content ?? {}) as { task?: { id: string; status: string }; project?: { key: string }; created?: number };
  if (task) return { task: task.id, status: task.status };
  if (project) return { project: project.key };
  return { created };
}

function logToolFailure(tool: string, error: unknown): void {
  logger.error('tool failed', { tool, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}
