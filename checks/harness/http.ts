import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanupAfterCheck } from './teardown.js';

/**
 * Serves a request handler (an Express app is one) on a free loopback port for the length of
 * one check, and closes it, with every open connection, when the check ends.
 */
export async function listenOnLoopback(handler: RequestListener): Promise<{ url: URL; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  cleanupAfterCheck(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/`), server };
}
