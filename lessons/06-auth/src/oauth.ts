import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { findApiKey, type ApiKeyRecord } from './api-keys.js';

export interface OAuthOptions {
  /** The authorization server's issuer identifier: the `iss` its tokens carry. */
  issuer: string;
  /** Where the authorization server publishes its public signing keys. */
  jwksUri: string;
}

/** What a verified caller carries into the tools (`extra.authInfo.extra`). */
export interface Caller {
  /** Who is calling: the token's `sub`, or the API key's name. */
  subject: string;
}

/** The signature algorithms this server accepts; never "none", never a symmetric one. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

// Step 3: the resource server's token check (the API-key part is step 2's)
/**
 * The verifier `requireBearerAuth` calls with the bearer credential. An API key (step 2) is
 * looked up by hash; anything else must be a JWT access token from our authorization server,
 * for us: signed by one of its keys with an accepted algorithm, `iss` = the issuer, `aud` =
 * this server's resource URL (RFC 8707: a token minted for another server is refused, so it
 * cannot be replayed here), within `exp`/`nbf`. Every refusal is an InvalidTokenError, which
 * requireBearerAuth turns into 401 + WWW-Authenticate; the reason never includes the token.
 */
export function createVerifier(options: { resource: URL; apiKeys?: readonly ApiKeyRecord[]; oauth?: OAuthOptions }): OAuthTokenVerifier {
  const jwks = options.oauth ? createRemoteJWKSet(new URL(options.oauth.jwksUri)) : undefined;
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = options.apiKeys ? findApiKey(token, options.apiKeys) : undefined;
      if (key) {
        return {
          token,
          clientId: `api-key:${key.name}`,
          scopes: key.scopes,
          // A key does not expire by itself; requireBearerAuth wants a time, and the key is
          // looked up again on every request, so a revoked key stops working at once.
          expiresAt: Math.floor(Date.now() / 1000) + 60,
          extra: { subject: key.name } satisfies Caller,
        };
      }
      if (!jwks || !options.oauth) throw new InvalidTokenError('Unknown API key');
      // TODO 3 (a): verify `token` as a JWT access token from options.oauth.issuer with jose's
      //   jwtVerify(token, jwks, { issuer, audience: options.resource.href, algorithms: ACCEPTED_ALGORITHMS }).
      //   Any failure: throw new InvalidTokenError('…') (never quote the token). Then return
      //   { token, clientId: payload.client_id, scopes: payload.scope split on spaces ([] without a scope claim),
      //     expiresAt: payload.exp, resource: options.resource, extra: { subject: payload.sub } }.
      void jwtVerify;
      throw new InvalidTokenError('TODO 3: access tokens are not checked yet');
    },
  };
}

/**
 * Protected Resource Metadata (RFC 9728): where clients learn which authorization server
 * issues tokens for this server, and what to ask for.
 */
export function protectedResourceMetadata(resource: URL, oauth: OAuthOptions, scopes: readonly string[]): Record<string, unknown> {
  // TODO 3 (b): the RFC 9728 document: resource (this server's URL, resource.href),
  //   authorization_servers ([oauth.issuer]), scopes_supported, bearer_methods_supported (['header']).
  void [resource, oauth, scopes];
  return {};
}
