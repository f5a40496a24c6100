import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isTaskboardError, PROJECT_KEY_PATTERN, type TaskboardStore } from '../../../taskboard/index.js';
import { taskUri } from './resources.js';

export function registerFindTask(server: McpServer, store: TaskboardStore): void {
  // Lesson 04, step 8: resource links in tool results
  server.registerTool(
    'find_task',
    {
      title: 'Find tasks',
      description:
        'Find tasks whose title or description contains the text. Answers with a link to each task resource (read it for every detail).',
      inputSchema: {
        text: z.string().min(1).describe('Text to look for in task titles and descriptions (case-insensitive).'),
        project: z.string().regex(PROJECT_KEY_PATTERN).optional().describe('Only tasks of this project, for example "WEB".'),
      },
    },
    async ({ text, project }): Promise<CallToolResult> => {
      try {
        const tasks = store.listTasks({ text, project });
        const links = tasks.map(
          (task): ResourceLink => ({
            type: 'resource_link',
            uri: taskUri(task.id),
            name: task.id,
            title: task.title,
            description: `${task.id} [${task.status}] (${task.priority}) ${task.title}`,
            mimeType: 'application/json',
          }),
        );
        const summary = tasks.length === 0 ? `No tasks match "${text}".` : `${tasks.length} task(s) match "${text}":`;
        return { content: [{ type: 'text', text: summary }, ...links] };
      } catch (error) {
        if (isTaskboardError(error)) return { isError: true, content: [{ type: 'text', text: error.message }] };
        throw error;
      }
    },
  );
}
