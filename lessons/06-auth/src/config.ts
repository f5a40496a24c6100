import { loadApiKeys, type ApiKeyRecord } from './api-keys.js';
import type { OAuthOptions } from './oauth.js';
import type { UpstreamOptions } from './notify.js';

/** Everything main.ts needs, read once from the environment at start. */
export interface Config {
  host: string;
  port: number;
  apiKeys?: ApiKeyRecord[];
  oauth?: OAuthOptions;
  upstream: UpstreamOptions;
  allowedOrigins?: string[];
}

// Step 6: configuration and secrets come from the environment, checked at start (TODO 6)
/**
 * Reads the configuration from `env`. A missing secret fails here, at start, with the name of
 * the variable to set (never its value): a server that starts without its credential would
 * only fail at the first call, far from the cause.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // TODO 6 (a): throw an Error naming each missing variable (TASKBOARD_WEBHOOK_URL,
  //   TASKBOARD_WEBHOOK_TOKEN; and one of TASKBOARD_AUTH_ISSUER or TASKBOARD_API_KEYS_FILE),
  //   never a value, before anything else.
  const issuer = env.TASKBOARD_AUTH_ISSUER;
  return {
    // Loopback unless told otherwise: nothing on the network can reach a server bound to 127.0.0.1.
    host: env.TASKBOARD_HOST || '127.0.0.1',
    port: Number(env.TASKBOARD_PORT ?? 3006),
    apiKeys: env.TASKBOARD_API_KEYS_FILE ? loadApiKeys(env.TASKBOARD_API_KEYS_FILE) : undefined,
    oauth: issuer ? { issuer, jwksUri: env.TASKBOARD_JWKS_URL || `${issuer.replace(/\/$/, '')}/jwks` } : undefined,
    upstream: { url: env.TASKBOARD_WEBHOOK_URL!, token: env.TASKBOARD_WEBHOOK_TOKEN! },
    allowedOrigins: env.TASKBOARD_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
  };
}
