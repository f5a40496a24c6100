import type { ApiKeyRecord, OAuthOptions } from './auth.js';

export interface Config {
  transport: 'stdio' | 'http';
  dbPath: string;
  host: string;
  port: number;
  /** HTTP: the keys; undefined means open (allowed on a loopback host only). */
  apiKeys?: ApiKeyRecord[];
  /** HTTP: the authorization server whose access tokens are accepted too (R-AUTH-4). */
  oauth?: OAuthOptions;
  /** stdio: the name the local user acts under (R-STATUS-3 compares it with assignees). */
  user: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// TODO 9: R-CONF (SPEC.md). Read and check the TASKBOARD_ variables; throw a ConfigError that
// names each bad one.
export function loadConfig(_env: NodeJS.ProcessEnv): Config {
  throw new Error('TODO 9: read the configuration from the environment (SPEC.md, R-CONF)');
}
