import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import Provider, { type InteractionDetails } from 'oidc-provider';

/**
 * The course's OAuth 2.1 authorization server: a real, OpenID-certified one (oidc-provider),
 * on loopback, separate from the learner's MCP server. Lessons 06–08 start it in their checks,
 * and `npm run auth-server` runs the same thing for trying the flow in the Inspector.
 *
 * What it does, as the MCP authorization spec (2025-11-25) expects of an authorization server:
 * - metadata at /.well-known/openid-configuration (RFC 8414 clients fall back to it);
 * - dynamic client registration (RFC 7591) open to anyone, as MCP clients need;
 * - authorization code with PKCE, S256 only, required for every client;
 * - resource indicators (RFC 8707): a token is issued for the `resource` the client asks for,
 *   as a JWT access token (RFC 9068) whose `aud` is that resource, signed with RS256;
 * - sign-in and consent on a small page of its own (/interaction/:uid), which a check's
 *   headless "browser" (`approve()`) fills in, and a person clicks through.
 *
 * Accounts: any name in `accounts` may sign in; there are no passwords (it is a local
 * development server: never expose it).
 */

export const TASK_SCOPES = ['tasks:read', 'tasks:write'] as const;

export interface AuthServerOptions {
  /** Port on 127.0.0.1 (0 = any free one). */
  port?: number;
  /** Who may sign in; the first is preselected on the consent page. */
  accounts?: string[];
  /** Access token lifetime in seconds. */
  accessTokenTtl?: number;
  /** Called with one line per sign-in, for the standalone server's console. */
  log?: (line: string) => void;
}

export interface MintOptions {
  /** The `aud` claim: the resource the token is for (omit it with `null`). */
  audience: string | null;
  subject?: string;
  /** The `scope` claim (default: both task scopes); `null` leaves the claim out. */
  scope?: string | null;
  issuer?: string;
  clientId?: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
  /** Seconds from now before which the token is not valid (`nbf`). */
  notBefore?: number;
  /** `server`: this server's own key; `foreign`: another key under the same `kid`; `none`: unsigned (alg none). */
  signer?: 'server' | 'foreign' | 'none';
}

export interface AuthServer {
  /** The issuer identifier, `http://127.0.0.1:PORT` (the `iss` of its tokens). */
  readonly issuer: string;
  /** Where its public signing keys are served (the `jwks_uri` of its metadata). */
  readonly jwksUri: string;
  readonly url: URL;
  /**
   * An access token of the shape the server issues (RFC 9068 JWT, `typ: at+jwt`), signed here
   * with the server's own key (or, for attacks, another key or none) so a check can make
   * exactly the token it needs: expired, for another audience, another issuer, fewer scopes.
   */
  mintToken(options: MintOptions): Promise<string>;
  /**
   * Plays the user's browser: follows an authorization URL through sign-in (as `account`) and
   * consent, and returns the URL the server finally redirects to (the client's redirect_uri
   * with `?code=…&state=…`, or with `?error=…`).
   */
  approve(authorizationUrl: URL | string, options?: { account?: string; deny?: boolean }): Promise<URL>;
  /** Stops the server and drops every open connection. */
  close(): Promise<void>;
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const accounts = options.accounts ?? ['ana', 'ben'];
  const log = options.log ?? (() => {});
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  void publicKey;

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    adapter: MemoryStore,
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (_ctx: unknown, id: string) =>
      accounts.includes(id) ? { accountId: id, claims: async () => ({ sub: id }) } : undefined,
    // The task scopes are listed here as well as for the resource servers (getResourceServerInfo):
    // MCP clients register with `scope: "tasks:read tasks:write"`, and registration accepts only
    // scopes the server lists here.
    scopes: ['openid', 'offline_access', ...TASK_SCOPES],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    // PKCE for every client, public or confidential (OAuth 2.1); oidc-provider allows S256 only.
    pkce: { required: () => true },
    // MCP clients (the Inspector in a browser) call the token and registration endpoints cross-origin.
    clientBasedCORS: () => true,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: options.accessTokenTtl ?? 600,
      AuthorizationCode: 60,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
      IdToken: 600,
      RefreshToken: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      // Dynamic client registration (RFC 7591), open: MCP clients register themselves.
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A client that names exactly one resource gets it by default at the token endpoint.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
        useGrantedResource: async () => true,
        // Every resource gets RFC 9068 JWT access tokens with the task scopes, `aud` = the resource.
        getResourceServerInfo: async () => ({
          scope: TASK_SCOPES.join(' '),
          accessTokenFormat: 'jwt',
          accessTokenTTL: options.accessTokenTtl ?? 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // Errors as JSON (the headless browser and a person both read them).
    renderError: async (ctx: { type: string; body: unknown }, out: Record<string, unknown>) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  const providerHandler = provider.callback();

  handler = (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return providerHandler(req, res);
    interaction(req, res).catch((error: unknown) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'interaction_failed', error_description: String((error as Error).message ?? error) }));
    });
  };

  /** GET shows the sign-in and consent page; POST (account, decision) completes it. */
  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(consentPage(details, accounts));
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    if (form.get('decision') !== 'approve') {
      const to = await provider.interactionResult(req, res, { error: 'access_denied', error_description: 'The user denied the request.' }, { mergeWithLastSubmission: false });
      res.writeHead(303, { location: to }).end();
      return;
    }
    const accountId = form.get('account') ?? accounts[0]!;
    if (!accounts.includes(accountId)) throw new Error(`unknown account ${accountId}`);
    const clientId = String(details.params.client_id);
    const requested = String(details.params.scope ?? '').split(' ').filter(Boolean);
    const grant = new provider.Grant({ accountId, clientId });
    const taskScopes = requested.filter((s) => (TASK_SCOPES as readonly string[]).includes(s));
    // Scopes listed in `scopes` are granted as such too, or consent would be asked again.
    if (requested.length > 0) grant.addOIDCScope(requested.join(' '));
    for (const resource of resources(details)) {
      grant.addResourceScope(resource, (taskScopes.length ? taskScopes : TASK_SCOPES).join(' '));
    }
    const grantId = await grant.save();
    log(`${accountId} signed in and approved ${clientId} (${taskScopes.join(' ') || 'default scopes'}) for ${resources(details).join(', ') || 'no resource'}`);
    const to = await provider.interactionResult(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    res.writeHead(303, { location: to }).end();
  }

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    url: new URL(issuer),

    async mintToken(mint: MintOptions): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        client_id: mint.clientId ?? 'course-check',
        jti: randomUUID(),
      };
      if (mint.scope !== null) claims.scope = mint.scope ?? TASK_SCOPES.join(' ');
      if (mint.notBefore !== undefined) claims.nbf = now + mint.notBefore;
      const build = <T extends SignJWT | UnsecuredJWT>(jwt: T): T => {
        jwt.setIssuer(mint.issuer ?? issuer).setSubject(mint.subject ?? accounts[0]!).setIssuedAt(now).setExpirationTime(now + (mint.expiresIn ?? 600));
        if (mint.audience !== null) jwt.setAudience(mint.audience);
        return jwt;
      };
      if (mint.signer === 'none') return build(new UnsecuredJWT(claims)).encode();
      const key: CryptoKey = mint.signer === 'foreign' ? (await generateKeyPair('RS256')).privateKey : privateKey;
      return build(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })).sign(key);
    },

    async approve(authorizationUrl, how = {}) {
      const cookies = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url; // left the authorization server: the client's redirect_uri
        const onPage = /^\/interaction\//.test(url.pathname);
        const response = await fetch(url, {
          redirect: 'manual',
          method: onPage ? 'POST' : 'GET',
          headers: {
            cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(onPage ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: onPage ? new URLSearchParams({ account: how.account ?? accounts[0]!, decision: how.deny ? 'deny' : 'approve' }).toString() : undefined,
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair!.indexOf('=');
          cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`authorization server answered ${response.status} at ${url.pathname}: ${(await response.text()).slice(0, 300)}`);
        url = new URL(location, url);
      }
      throw new Error('authorization server redirected more than 10 times');
    },

    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * oidc-provider's storage: in memory, one Map per server (its own quick-start adapter works the
 * same but warns on every start, which would clutter every check's output).
 */
class MemoryStore {
  private static readonly all = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  constructor(private readonly model: string) {}
  private key(id: string) {
    return `${this.model}:${id}`;
  }
  private get(key: string) {
    const entry = MemoryStore.all.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      MemoryStore.all.delete(key);
      return undefined;
    }
    return entry.payload;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
    MemoryStore.all.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    if (typeof payload.grantId === 'string') {
      const grant = `grant:${payload.grantId}`;
      const list = (this.get(grant)?.keys as string[] | undefined) ?? [];
      MemoryStore.all.set(grant, { payload: { keys: [...list, this.key(id)] }, expiresAt: Date.now() + expiresIn * 1000 });
    }
    if (typeof payload.uid === 'string') MemoryStore.all.set(`uid:${this.model}:${payload.uid}`, { payload: { id }, expiresAt: Date.now() + expiresIn * 1000 });
    if (typeof payload.userCode === 'string') MemoryStore.all.set(`code:${this.model}:${payload.userCode}`, { payload: { id }, expiresAt: Date.now() + expiresIn * 1000 });
  }
  async find(id: string) {
    return this.get(this.key(id));
  }
  async findByUid(uid: string) {
    const ref = this.get(`uid:${this.model}:${uid}`);
    return ref ? this.find(String(ref.id)) : undefined;
  }
  async findByUserCode(code: string) {
    const ref = this.get(`code:${this.model}:${code}`);
    return ref ? this.find(String(ref.id)) : undefined;
  }
  async consume(id: string) {
    const payload = this.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryStore.all.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const key of (this.get(`grant:${grantId}`)?.keys as string[] | undefined) ?? []) MemoryStore.all.delete(key);
    MemoryStore.all.delete(`grant:${grantId}`);
  }
}

function resources(details: InteractionDetails): string[] {
  const value = details.params.resource;
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return body;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function consentPage(details: InteractionDetails, accounts: string[]): string {
  const p = details.params;
  const row = (k: string, v: unknown) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v ?? '—'))}</td></tr>`;
  return `<!doctype html><meta charset="utf-8"><title>Course authorization server</title>
<body style="font-family:system-ui;max-width:40em;margin:3em auto">
<h1>Sign in and approve</h1>
<p>A client asks for access to a Taskboard MCP server. This is the course's local authorization server: no passwords.</p>
<table>${row('client', p.client_id)}${row('scope', p.scope)}${row('resource', p.resource)}${row('redirect', p.redirect_uri)}</table>
<form method="post">
<p><label>Sign in as <select name="account">${accounts.map((a) => `<option>${escapeHtml(a)}</option>`).join('')}</select></label></p>
<button name="decision" value="approve">Approve</button> <button name="decision" value="deny">Deny</button>
</form></body>`;
}
