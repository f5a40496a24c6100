// The full-size R-STORE-3 figure: 50 concurrent HTTP clients × 100 create_task calls each against one
// server, then a count. `npx tsx checks/08-capstone/bench.ts [--target lessons] [--clients N] [--writes N]`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpServer, targetOf } from './serve.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const clients = arg('--clients', 50);
const writes = arg('--writes', 100);
const server = await startHttpServer(targetOf(process.argv));
try {
  const connect = async () => {
    const client = new Client({ name: 'bench', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    return client;
  };
  const admin = await connect();
  await admin.callTool({ name: 'create_project', arguments: { key: 'BENCH', name: 'Bench' } });
  const all = await Promise.all(Array.from({ length: clients }, connect));
  const started = performance.now();
  // Each client sends its writes one after another, the clients all at once: 50 requests in
  // flight. (5000 at once is a test of the listen backlog and the client's socket pool, not of
  // the store.)
  const perClient = await Promise.all(
    all.map(async (c, i) => {
      const mine = [];
      for (let j = 0; j < writes; j++) mine.push(await c.callTool({ name: 'create_task', arguments: { project: 'BENCH', title: `c${i} w${j}` } }));
      return mine;
    }),
  );
  const results = perClient.flat();
  const ms = performance.now() - started;
  const failed = results.filter((r) => r.isError).length;
  const listed = await admin.callTool({ name: 'list_tasks', arguments: { project: 'BENCH' } });
  const ids = ((listed.structuredContent as { tasks: Array<{ id: string }> }).tasks ?? []).map((t) => t.id);
  const expected = clients * writes;
  console.log(`${clients} clients × ${writes} writes: ${expected} calls in ${(ms / 1000).toFixed(2)} s (${Math.round(expected / (ms / 1000))} writes/s), ${failed} failed, ${ids.length} tasks stored, ${new Set(ids).size} distinct ids`);
  await Promise.all([admin, ...all].map((c) => c.close()));
  process.exitCode = failed === 0 && ids.length === expected && new Set(ids).size === expected ? 0 : 1;
} finally {
  server.stop();
}
