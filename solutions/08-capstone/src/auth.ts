import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
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
      return { token: 'api-key', clientId: record.name, scopes: record.scopes, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    },
  };
}
