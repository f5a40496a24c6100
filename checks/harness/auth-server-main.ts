import { startAuthServer } from './auth-server.js';

/**
 * `npm run auth-server`: the authorization server lesson 06's checks use, on a fixed loopback
 * port, for trying the OAuth flow by hand (the Inspector, a browser). Ctrl-C stops it.
 *   AUTH_SERVER_PORT   port on 127.0.0.1 (default 9000)
 */
const port = Number(process.env.AUTH_SERVER_PORT ?? 9000);
const server = await startAuthServer({ port, accounts: ['ana', 'ben'], accessTokenTtl: 3600, log: (line) => console.log(`  ${line}`) });
console.log(`Course authorization server (oidc-provider) on ${server.issuer}
  metadata      ${server.issuer}/.well-known/openid-configuration
  keys (JWKS)   ${server.jwksUri}
  accounts      ana, ben (no passwords: a local development server)
Start lesson 06's server with TASKBOARD_AUTH_ISSUER=${server.issuer}. Ctrl-C stops this one.`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
