#!/usr/bin/env node
// Step 8: the shebang above lets the built file run as a command (the package's `bin`).
import { ConfigError, loadBoard, loadConfig } from './config.js';
import { startHttp } from './http.js';
import { createLogger, logStoreEvents } from './logger.js';
import { startOverdueReminder } from './reminders.js';
import { Shutdown } from './shutdown.js';
import { startStdio } from './stdio.js';

// The entry point: configuration, logs, shutdown, then one transport. Over stdio, stdout carries
// JSON-RPC and nothing else: every log line goes to stderr.

// Step 4: a bad setting stops the server here, with one line, before it answers anything.
let config;
let store;
try {
  config = loadConfig();
  store = loadBoard(config.dataPath);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  createLogger({ level: 'error' }).error(error.message);
  process.exit(2);
}

const logger = createLogger({ level: config.logLevel });
logStoreEvents(store, logger);
const shutdown = new Shutdown({ logger, deadlineMs: config.shutdownMs });
shutdown.listen();
shutdown.onClose(startOverdueReminder(store, logger));

try {
  if (config.transport === 'http') await startHttp({ config, store, logger, shutdown });
  else await startStdio({ config, store, logger, shutdown });
} catch (error) {
  // A port in use, say: one line for the operator, not a stack trace.
  logger.error('could not start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
