import { z } from 'zod';
import { loadApiKeys, type ApiKeyRecord, type OAuthOptions } from './auth.js';

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

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const schema = z.object({
  TASKBOARD_TRANSPORT: z.enum(['stdio', 'http']).default('stdio'),
  TASKBOARD_DB: z.string().default('taskboard.db'),
  TASKBOARD_HOST: z.string().default('127.0.0.1'),
  TASKBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3008),
  TASKBOARD_API_KEYS_FILE: z.string().optional(),
  TASKBOARD_AUTH_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  TASKBOARD_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  TASKBOARD_USER: z.string().default('local'),
});

// Area R-CONF: configuration from the environment, checked at start
/** Reads and checks the environment; a ConfigError names every bad variable (never a secret's value). */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable means "not set": `TASKBOARD_PORT=` takes the default.
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TASKBOARD_') && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  let apiKeys: ApiKeyRecord[] | undefined;
  if (e.TASKBOARD_API_KEYS_FILE) {
    try {
      apiKeys = loadApiKeys(e.TASKBOARD_API_KEYS_FILE);
    } catch (error) {
      throw new ConfigError(`invalid configuration: TASKBOARD_API_KEYS_FILE: ${(error as Error).message}`);
    }
  }
  const issuer = e.TASKBOARD_AUTH_ISSUER;
  const oauth = issuer ? { issuer, jwksUri: e.TASKBOARD_JWKS_URL ?? `${issuer.replace(/\/$/, '')}/jwks` } : undefined;
  if (e.TASKBOARD_TRANSPORT === 'http' && !apiKeys && !oauth && !LOOPBACK.has(e.TASKBOARD_HOST)) {
    throw new ConfigError('invalid configuration: TASKBOARD_API_KEYS_FILE: required when TASKBOARD_HOST is not a loopback address (or TASKBOARD_AUTH_ISSUER)');
  }
  return { transport: e.TASKBOARD_TRANSPORT, dbPath: e.TASKBOARD_DB, host: e.TASKBOARD_HOST, port: e.TASKBOARD_PORT, apiKeys, oauth, user: e.TASKBOARD_USER };
}
