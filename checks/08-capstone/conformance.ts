// `npm run conformance [-- --target lessons]`: the official MCP conformance suite against the
// lesson-08 server over Streamable HTTP, judged against conformance-baseline.yml (R-HTTP-4).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startHttpServer, targetOf } from './serve.js';

const target = targetOf(process.argv);
// Open mode (no keys file, loopback only): the suite sends no credentials.
const server = await startHttpServer(target);
const suite = fileURLToPath(import.meta.resolve('@modelcontextprotocol/conformance/dist/index.js'));
const baseline = fileURLToPath(new URL('./conformance-baseline.yml', import.meta.url));
console.error(`conformance: ${target}/08-capstone at ${server.url.href}, baseline ${baseline}`);
const run = spawnSync(process.execPath, [suite, 'server', '--url', server.url.href, '--expected-failures', baseline], { stdio: 'inherit' });
server.stop();
process.exit(run.status ?? 1);
