import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { TaskboardStore } from '../../../taskboard/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createServer, SERVER_VERSION } from './server.js';
import type { Shutdown } from './shutdown.js';

export interface StartOptions {
  config: Config;
  store: TaskboardStore;
  logger: Logger;
  shutdown: Shutdown;
}

/** Serves one client over stdin/stdout: what a desktop client starts from its config file. */
export async function startStdio({ config, store, logger, shutdown }: StartOptions): Promise<void> {
  const server = createServer({ store, logger, estimateDelayMs: config.estimateDelayMs, upstream: config.upstream });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  shutdown.track(transport);
  shutdown.onClose(() => server.close());
  // Step 6: the end of stdin means the host is gone (the SDK's transport does not notice it).
  shutdown.watchStdin();
  logger.info('listening', { transport: 'stdio', version: SERVER_VERSION });
}
