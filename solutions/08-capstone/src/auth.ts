import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ALL_SCOPES } from './status.js';

/** One API key as stored: who holds it, the SHA-256 of the key (hex), the scopes it grants. Never the key. */
export interface ApiKeyRecord {
  name: string;
  sha256: string;
  scopes: string[];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

// Area R-AUTH: API keys and scopes
/**
 * The record whose hash matches `key`, compared in constant time over every record (lesson 06):
 * both sides are 32-byte digests, so neither the length nor the position of a match leaks.
 */
export function findApiKey(key: string, records: readonly ApiKeyRecord[]): ApiKeyRecord | undefined {
  const presented = createHash('sha256').update(key, 'utf8').digest();
  let match: ApiKeyRecord | undefined;
  for (const record of records) {
    const stored = Buffer.from(record.sha256, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) match ??= record;
  }
  return match;
}

/** Reads the keys file: a JSON array of { name, sha256, scopes }. Unknown scopes are refused, not ignored. */
export function loadApiKeys(path: string): ApiKeyRecord[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of { name, sha256, scopes }`);
  return data.map((entry: Partial<ApiKeyRecord>, i) => {
    if (typeof entry.name !== 'string' || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256) || !Array.isArray(entry.scopes)) {
      throw new Error(`${path}: entry ${i} needs a name, a sha256 (64 hex digits) and scopes`);
    }
    const unknown = entry.scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new Error(`${path}: entry ${i} has unknown scopes ${unknown.join(', ')}`);
    return { name: entry.name, sha256: entry.sha256.toLowerCase(), scopes: entry.scopes.map(String) };
  });
}

/** The bearer verifier: an unknown key is an invalid token (401), never a 500. */
export function apiKeyVerifier(records: readonly ApiKeyRecord[]): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const record = findApiKey(token, records);
      if (!record) throw new InvalidTokenError('Unknown API key.');
      // A key does not expire, but requireBearerAuth refuses a token without expiresAt: each
      // verification is good for the request at hand, so an hour from now is honest.
      return { token: 'api-key', clientId: record.name, scopes: record.scopes, expiresAt: Math.floor(Date.now() / 1000) + 3600, extra: { caller: record.name } };
    },
  };
}

// OAuth access tokens (R-AUTH-4 to R-AUTH-6): the server as an OAuth 2.1 resource server (lesson 06)
/** The authorization server whose access tokens are accepted (TASKBOARD_AUTH_ISSUER, R-CONF). */
export interface OAuthOptions {
  /** Its issuer identifier: the `iss` of its tokens. */
  issuer: string;
  /** Where it publishes its public signing keys (TASKBOARD_JWKS_URL, default `<issuer>/jwks`). */
  jwksUri: string;
}

/** The signature algorithms accepted: asymmetric only, never `none` (an unsigned token proves nothing). */
export const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** Who a verified credential names: the API key's name, or the token's `sub` (R-STATUS-3 compares it with assignees). */
export function callerName(auth: AuthInfo): string {
  return typeof auth.extra?.caller === 'string' ? auth.extra.caller : auth.clientId;
}

/**
 * The bearer verifier when the server takes both credentials: an API key is looked up by hash
 * first; anything else must be a JWT access token for THIS server (`aud` = its resource URL, so a
 * token minted for another server cannot be replayed here), from the issuer, signed by one of its
 * keys, not expired. A refusal is an InvalidTokenError (401); the reason never echoes the token.
 */
export function bearerVerifier(options: { resource: URL; apiKeys?: readonly ApiKeyRecord[]; oauth?: OAuthOptions }): OAuthTokenVerifier {
  const keys = apiKeyVerifier(options.apiKeys ?? []);
  const jwks = options.oauth ? createRemoteJWKSet(new URL(options.oauth.jwksUri)) : undefined;
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (options.apiKeys && findApiKey(token, options.apiKeys)) return keys.verifyAccessToken(token);
      if (!options.oauth || !jwks) throw new InvalidTokenError('Unknown API key.');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.oauth.issuer,
          audience: options.resource.href,
          algorithms: ACCEPTED_ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: 5,
        }));
      } catch {
        // jose knows what was wrong (expired, audience, signature); the client only needs "invalid".
        throw new InvalidTokenError('Invalid or expired access token.');
      }
      // The token's scopes, as the spec names them: anything else it carries grants nothing here.
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => (ALL_SCOPES as readonly string[]).includes(s)) : [];
      return {
        token,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : String(payload.azp ?? 'unknown'),
        scopes,
        expiresAt: payload.exp,
        resource: options.resource,
        extra: { caller: payload.sub },
      };
    },
  };
}

/** Protected Resource Metadata (RFC 9728): how a client finds the authorization server for this server. */
export function protectedResourceMetadata(resource: URL, oauth: OAuthOptions) {
  return {
    resource: resource.href,
    authorization_servers: [oauth.issuer],
    scopes_supported: [...ALL_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Taskboard',
  };
}
