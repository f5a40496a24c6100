import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

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

/** The authorization server whose access tokens are accepted (TASKBOARD_AUTH_ISSUER, R-CONF). */
export interface OAuthOptions {
  /** Its issuer identifier: the `iss` of its tokens. */
  issuer: string;
  /** Where it publishes its public signing keys (TASKBOARD_JWKS_URL, default `<issuer>/jwks`). */
  jwksUri: string;
}

// TODO 6 (continued): R-AUTH-4 to R-AUTH-6 (SPEC.md). With TASKBOARD_AUTH_ISSUER, a bearer
// credential that is not a known API key is a JWT access token: check it with jose against the
// issuer's JWKS (signature, iss, exp, aud = this server's URL), the caller is its `sub`, its
// scopes the `scope` claim. Lesson 06's oauth.ts did the same.
export function bearerVerifier(_options: { resource: URL; apiKeys?: readonly ApiKeyRecord[]; oauth?: OAuthOptions }): OAuthTokenVerifier {
  throw new Error('TODO 6: verify API keys and access tokens (SPEC.md, R-AUTH-4)');
}

/** Who a verified credential names: the API key's name, or the token's `sub`. */
export function callerName(_auth: AuthInfo): string {
  throw new Error('TODO 6: the caller a credential names (SPEC.md, R-AUTH-4)');
}
