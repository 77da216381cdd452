// Authentication against one registry host, driven by the registry's own
// `WWW-Authenticate` challenge: anonymous until challenged, then Basic, or
// the Bearer token flow (GET realm?service=&scope= with Basic credentials,
// or the OAuth2 refresh-token grant for Docker identity tokens) — the flow
// GHCR, Docker Hub and docker-registry's `auth: token` mode use.
import { parseAuthChallenges, type AuthChallenge } from './authChallenge';
import type { CredentialsProvider, RegistryCredentials } from './credentials';
import { IDENTITY_TOKEN_USER } from './dockerConfig';
import { registryError, RegistryUnreachableError } from './registryErrors';

interface CachedToken {
  header: string;
  expiresAt: number;
}

export class RegistryAuth {
  private credentials: RegistryCredentials | undefined;
  private credentialsLoaded = false;
  private basicHeader: string | undefined;
  private tokens = new Map<string, CachedToken>();

  constructor(
    readonly registry: string,
    private readonly provider: CredentialsProvider | undefined,
    private readonly doFetch: typeof fetch,
    private readonly userAgent: string,
    private readonly timeoutMs: number,
  ) {}

  /** Where the credentials in use came from (for error messages), if any. */
  get credentialSource(): string | undefined {
    return this.credentials ? (this.credentials.source ?? 'the configured credentials') : undefined;
  }

  /** The Authorization header to send for a scope, if we already have one. */
  headerFor(scope: string | undefined): string | undefined {
    if (this.basicHeader) return this.basicHeader;
    const t = this.tokens.get(scope ?? '');
    if (t && t.expiresAt > Date.now()) return t.header;
    return undefined;
  }

  /** Forget what failed so the next challenge fetches afresh. */
  invalidate(scope: string | undefined): void {
    this.tokens.delete(scope ?? '');
  }

  private async loadCredentials(): Promise<RegistryCredentials | undefined> {
    if (!this.credentialsLoaded) {
      this.credentials = this.provider ? await this.provider(this.registry) : undefined;
      this.credentialsLoaded = true;
    }
    return this.credentials;
  }

  /**
   * Answers a 401 challenge. Returns true when a new Authorization header is
   * available for `scope` (the caller retries once), false when there is
   * nothing more to try.
   */
  async answer(wwwAuthenticate: string | null, scope: string | undefined): Promise<boolean> {
    const challenges = parseAuthChallenges(wwwAuthenticate ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const creds = await this.loadCredentials();
    if (bearer && bearer.params.realm) {
      const token = await this.fetchToken(bearer, scope, creds);
      this.tokens.set(scope ?? '', token);
      return true;
    }
    if (basic || challenges.length === 0) {
      if (!creds || this.basicHeader) return false;
      this.basicHeader = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
      return true;
    }
    return false;
  }

  private async fetchToken(ch: AuthChallenge, scope: string | undefined, creds: RegistryCredentials | undefined): Promise<CachedToken> {
    const realm = ch.params.realm!;
    const scopes = [scope, ch.params.scope].filter((s, i, a): s is string => !!s && a.indexOf(s) === i);
    let res: Response;
    try {
      if (creds && creds.username === IDENTITY_TOKEN_USER) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.password, client_id: 'modelgate' });
        if (ch.params.service) form.set('service', ch.params.service);
        if (scopes.length) form.set('scope', scopes.join(' '));
        res = await this.doFetch(realm, {
          method: 'POST',
          body: form,
          headers: { 'User-Agent': this.userAgent },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } else {
        const url = new URL(realm);
        if (ch.params.service) url.searchParams.set('service', ch.params.service);
        for (const s of scopes) url.searchParams.append('scope', s);
        const headers: Record<string, string> = { 'User-Agent': this.userAgent };
        if (creds) {
          headers.Authorization = 'Basic ' + Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
          url.searchParams.set('account', creds.username);
        }
        res = await this.doFetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      }
    } catch (err) {
      throw new RegistryUnreachableError(new URL(realm).host, `get a token from ${realm}`, err, 1);
    }
    const text = await res.text();
    if (!res.ok) {
      throw registryError(this.registry, `get a token from ${realm}`, res.status, text, this.credentialSource);
    }
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(
        `registry ${this.registry}: the token service ${realm} answered with something that is not JSON; check the registry's auth configuration`,
      );
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`registry ${this.registry}: the token service ${realm} returned no token; check the registry's auth configuration`);
    // refresh a little early; the spec's default lifetime is 60 s
    const lifetimeS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { header: `Bearer ${token}`, expiresAt: Date.now() + Math.max(1, lifetimeS - 5) * 1000 };
  }
}
