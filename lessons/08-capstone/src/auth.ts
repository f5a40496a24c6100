import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';

/** One API key as stored: who holds it, the SHA-256 of the key (hex), the scopes it grants. Never the key. */
export interface ApiKeyRecord {
  name: string;
  sha256: string;
  scopes: string[];
}

// TODO 6: R-AUTH (SPEC.md). Read the keys file, and check a presented key against it (lesson 06
// did both). The HTTP server puts the verifier in front of /mcp.
export function loadApiKeys(_path: string): ApiKeyRecord[] {
  throw new Error('TODO 6: read the keys file (SPEC.md, R-AUTH-1)');
}

export function apiKeyVerifier(_records: readonly ApiKeyRecord[]): OAuthTokenVerifier {
  throw new Error('TODO 6: the API key verifier (SPEC.md, R-AUTH-1)');
}
