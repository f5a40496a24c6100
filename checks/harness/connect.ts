/**
 * Connecting a real SDK Client to the code under test, one module per way in: settings and the
 * client factory, in memory (the student's createServer), stdio (the lesson file as a process),
 * Streamable HTTP. This file keeps the old import path working for the other harness modules.
 */
export { ANSWER_TIMEOUT_MS, CHECK_CLIENT, serverArgs } from './settings.js';
export { newClient, handshake, type ConnectOptions, type Connectable } from './client.js';
export { connectInMemory, linkInMemory, connectServer, type LinkOptions } from './connect-memory.js';
export { connectStdio, type StdioOptions } from './connect-stdio.js';
export { connectHttp } from './connect-http.js';
