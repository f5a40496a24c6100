import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * One API key as the server stores it: a name (who holds it, for logs and task assignees), the
 * SHA-256 of the key in hex, and the scopes it grants. Never the key itself.
 */
export interface ApiKeyRecord {
  name: string;
  sha256: string;
  scopes: string[];
}

/** The stored form of a key: its SHA-256 digest, in hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

// Step 2: API keys, checked in constant time
/**
 * The record whose hash matches `key`, or undefined.
 *
 * Both sides are SHA-256 digests, so they always have the same length (32 bytes) whatever key
 * was sent: timingSafeEqual would throw on different lengths, and comparing lengths first would
 * tell an attacker the length of a real key. Every record is compared, so the time taken does
 * not depend on which record (if any) matched.
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

/**
 * Reads the keys file (JSON: an array of `{ name, sha256, scopes }`). The file holds hashes
 * only, so it may be readable by the operators; the keys themselves are handed out once.
 */
export function loadApiKeys(path: string): ApiKeyRecord[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of { name, sha256, scopes }`);
  return data.map((entry: Partial<ApiKeyRecord>, i) => {
    if (typeof entry.name !== 'string' || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256)) {
      // The entry's index only: the file is about secrets, its content does not belong in a log.
      throw new Error(`${path}: entry ${i} needs a name and a sha256 (64 hex digits)`);
    }
    return { name: entry.name, sha256: entry.sha256.toLowerCase(), scopes: Array.isArray(entry.scopes) ? entry.scopes.map(String) : [] };
  });
}
