import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createDemoStore, TASK_PRIORITIES, TaskboardStore } from '../../../taskboard/index.js';
import { loadApiKeys, type ApiKeyRecord } from './api-keys.js';
import type { UpstreamOptions } from './notify.js';
import type { OAuthOptions } from './oauth.js';

/**
 * Everything the server can be told, from the environment, checked once at start.
 * A deployment (a container, a client's config file, CI) sets variables, never flags, and a
 * wrong value must stop the server before it answers anything, with one line that says which
 * variable is wrong and why.
 */

/** The MCP logging levels (RFC 5424 names, as `logging/setLevel` uses them), least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An integer given as text ("3000"). */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// Step 4: the schema of the environment
const Environment = z.object({
  TASKBOARD_TRANSPORT: z.enum(['stdio', 'http']).default('stdio').describe('stdio for a local client, http for a deployment.'),
  TASKBOARD_HOST: z.string().min(1).default('127.0.0.1').describe('The interface the HTTP server listens on.'),
  TASKBOARD_PORT: integer(0, 65_535).default(3000).describe('The HTTP port; 0 picks a free one.'),
  TASKBOARD_LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe('The least severe level written to stderr.'),
  TASKBOARD_DATA: z.string().min(1).optional().describe('A JSON file with the board to serve; the demo board when unset.'),
  TASKBOARD_SHUTDOWN_MS: integer(0, 600_000).default(10_000).describe('How long in-flight calls get to finish at shutdown.'),
  TASKBOARD_ESTIMATE_DELAY_MS: integer(0, 600_000).default(150).describe("The stand-in estimation service's latency."),
  // Lesson 06: who may call over HTTP (API keys, OAuth), and the upstream webhook.
  TASKBOARD_API_KEYS_FILE: z.string().min(1).optional().describe('A JSON file of API key hashes (lesson 06).'),
  TASKBOARD_AUTH_ISSUER: z.url().optional().describe('The authorization server whose access tokens are accepted.'),
  TASKBOARD_JWKS_URL: z.url().optional().describe("Its signing keys; the issuer's /jwks when unset."),
  TASKBOARD_ALLOWED_ORIGINS: z.string().min(1).optional().describe('Comma-separated origins a browser may call from.'),
  TASKBOARD_WEBHOOK_URL: z.url().optional().describe('The team webhook notify_team posts to.'),
  // The credential for the upstream service the server calls on its own behalf.
  // Never logged, never passed through to clients.
  TASKBOARD_WEBHOOK_TOKEN: z.string().min(1).optional(),
});

/** Variables whose value is never repeated in an error. */
const SECRET_VARIABLES = new Set(['TASKBOARD_WEBHOOK_TOKEN', 'TASKBOARD_WEBHOOK_URL']);

export interface Config {
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  logLevel: LogLevel;
  dataPath: string | undefined;
  shutdownMs: number;
  estimateDelayMs: number;
  webhookToken: string | undefined;
  /** Lesson 06: API keys (hashes only), from TASKBOARD_API_KEYS_FILE. */
  apiKeys?: ApiKeyRecord[];
  /** Lesson 06: the authorization server whose JWT access tokens are accepted. */
  oauth?: OAuthOptions;
  /** Lesson 06: the webhook notify_team calls; no notify_team without it. */
  upstream?: UpstreamOptions;
  allowedOrigins?: string[];
}

/** A configuration the server cannot start with; its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The configuration in `env` (process.env by default), or a ConfigError naming every bad
 * variable with what it got and what it wants. Empty strings count as unset.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`TASKBOARD_PORT=`) counts as unset, so the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = Environment.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const value = env[name];
      // The upstream credential is a secret (and a webhook URL often embeds one): say it is
      // wrong, never what it is.
      const shown = SECRET_VARIABLES.has(name) || value === undefined ? '' : ` (got "${value}")`;
      return `${name}${shown}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    transport: e.TASKBOARD_TRANSPORT,
    host: e.TASKBOARD_HOST,
    port: e.TASKBOARD_PORT,
    logLevel: e.TASKBOARD_LOG_LEVEL,
    dataPath: e.TASKBOARD_DATA,
    shutdownMs: e.TASKBOARD_SHUTDOWN_MS,
    estimateDelayMs: e.TASKBOARD_ESTIMATE_DELAY_MS,
    webhookToken: e.TASKBOARD_WEBHOOK_TOKEN,
    ...lesson06Settings(e),
  };
}

/** Lesson 06's variables, as the schema parsed them (unset ones undefined). */
export interface Lesson06Variables {
  TASKBOARD_TRANSPORT: 'stdio' | 'http';
  TASKBOARD_API_KEYS_FILE?: string;
  TASKBOARD_AUTH_ISSUER?: string;
  TASKBOARD_JWKS_URL?: string;
  TASKBOARD_ALLOWED_ORIGINS?: string;
  TASKBOARD_WEBHOOK_URL?: string;
  TASKBOARD_WEBHOOK_TOKEN?: string;
}

/**
 * Lesson 06's settings, and the rules a schema of single variables cannot say. Throws a
 * ConfigError (one line, never a secret) like any other bad setting.
 */
export function lesson06Settings(e: Lesson06Variables): Pick<Config, 'apiKeys' | 'oauth' | 'upstream' | 'allowedOrigins'> {
  const missing: string[] = [];
  // An HTTP server without a way to check its callers would serve anyone who reaches the port.
  // Over stdio the caller is the process that started us: nothing to check.
  if (e.TASKBOARD_TRANSPORT === 'http' && !e.TASKBOARD_AUTH_ISSUER && !e.TASKBOARD_API_KEYS_FILE) {
    missing.push('TASKBOARD_AUTH_ISSUER or TASKBOARD_API_KEYS_FILE (TASKBOARD_TRANSPORT=http needs a way to check callers)');
  }
  // The webhook and its credential go together: one without the other is a mistake, not a choice.
  if (e.TASKBOARD_WEBHOOK_URL && !e.TASKBOARD_WEBHOOK_TOKEN) missing.push('TASKBOARD_WEBHOOK_TOKEN (TASKBOARD_WEBHOOK_URL is set)');
  if (e.TASKBOARD_WEBHOOK_TOKEN && !e.TASKBOARD_WEBHOOK_URL) missing.push('TASKBOARD_WEBHOOK_URL (TASKBOARD_WEBHOOK_TOKEN is set)');
  if (missing.length > 0) throw new ConfigError(`invalid configuration: set ${missing.join('; ')}`);
  let apiKeys: ApiKeyRecord[] | undefined;
  if (e.TASKBOARD_API_KEYS_FILE) {
    try {
      apiKeys = loadApiKeys(e.TASKBOARD_API_KEYS_FILE);
    } catch (error) {
      // loadApiKeys names the file and the entry, never a hash: safe for the one stderr line.
      throw new ConfigError(`invalid configuration: TASKBOARD_API_KEYS_FILE: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const issuer = e.TASKBOARD_AUTH_ISSUER;
  return {
    apiKeys,
    oauth: issuer ? { issuer, jwksUri: e.TASKBOARD_JWKS_URL ?? `${issuer.replace(/\/$/, '')}/jwks` } : undefined,
    upstream: e.TASKBOARD_WEBHOOK_URL && e.TASKBOARD_WEBHOOK_TOKEN ? { url: e.TASKBOARD_WEBHOOK_URL, token: e.TASKBOARD_WEBHOOK_TOKEN } : undefined,
    allowedOrigins: e.TASKBOARD_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
  };
}

// Step 4: the board to serve, from TASKBOARD_DATA
const Board = z.object({
  projects: z.array(z.object({ key: z.string(), name: z.string(), description: z.string().optional() })),
  tasks: z
    .array(
      z.object({
        project: z.string(),
        title: z.string(),
        description: z.string().optional(),
        priority: z.enum(TASK_PRIORITIES).optional(),
        labels: z.array(z.string()).optional(),
        assignee: z.string().optional(),
        dueDate: z.string().optional(),
      }),
    )
    .default([]),
});

/**
 * The store to serve: the board in the JSON file `path` ({ projects: [...], tasks: [...] }), or
 * the demo board when there is none. A file that cannot be read or is not a board is a
 * ConfigError naming TASKBOARD_DATA, like any other bad setting.
 */
export function loadBoard(path: string | undefined): TaskboardStore {
  if (path === undefined) return createDemoStore();
  let data: z.infer<typeof Board>;
  try {
    data = Board.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s*\n\s*/g, ' ') : error instanceof Error ? error.message : String(error);
    throw new ConfigError(`invalid configuration: TASKBOARD_DATA ("${path}") is not a readable board: ${reason}`);
  }
  const store = new TaskboardStore();
  try {
    for (const project of data.projects) store.createProject(project);
    for (const task of data.tasks) store.createTask(task);
  } catch (error) {
    throw new ConfigError(`invalid configuration: TASKBOARD_DATA ("${path}"): ${error instanceof Error ? error.message : String(error)}`);
  }
  return store;
}
