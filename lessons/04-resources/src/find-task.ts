import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isTaskboardError, PROJECT_KEY_PATTERN, type TaskboardStore } from '../../../taskboard/index.js';
import { taskUri } from './resources.js';

export function registerFindTask(server: McpServer, store: TaskboardStore): void {
  // TODO 8: resource links in tool results
  //   Register a tool "find_task" with inputs text (required, at least one character) and
  //   project (optional, a project key: PROJECT_KEY_PATTERN). It finds the tasks whose title or
  //   description contains the text: store.listTasks({ text, project }).
  //   Answer with a short text item and, for every task found, a resource link (type ResourceLink):
  //     { type: 'resource_link', uri: taskUri(task.id), name: task.id, title: task.title, mimeType: 'application/json' }
  //   The client reads the link's URI when it wants the task: the tool result stays small.
  //   An unknown project is a tool error (isError: true), as in lesson 02 (isTaskboardError).
}
