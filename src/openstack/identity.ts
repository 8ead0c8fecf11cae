import type { AuthConfig, EndpointInterface, ResolvedCloud, Scope } from '../config/types.js';
import { AuthError, ConnectionError, isHttpStatus } from './errors.js';
import type { HttpClient } from './http.js';
import { isStreamBody } from '../net/upload.js';
import type { HttpRequest, HttpResponse } from './request.js';

export interface CatalogEndpoint {
  interface: string;
  region?: string | null;
  region_id?: string | null;
  url: string;
}
export interface CatalogEntry {
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

export interface Token {
  value: string;
  expiresAt: Date;
  catalog: CatalogEntry[];
  userId?: string;
  userName?: string;
  projectId?: string;
  projectName?: string;
  roles: string[];
}

interface TokenBody {
  token: {
    expires_at: string;
    issued_at?: string;
    catalog?: CatalogEntry[];
    user?: { id?: string; name?: string };
    project?: { id?: string; name?: string };
    roles?: Array<{ name: string }>;
  };
}

/** Re-authenticate this long before the token expires, or half its lifetime before when that is shorter. */
const REFRESH_MARGIN_MS = 2 * 60_000;

/**
 * When a token should be renewed, on this machine's clock: min(2 minutes, half its lifetime) before it
 * expires. The lifetime comes from Keystone's own issued_at and expires_at, so a skewed clock here does not
 * shorten or stretch it; without issued_at it is counted from when the token arrived.
 */
export function refreshTime(expiresAt: Date, issuedAt: Date | undefined, receivedAt: number): number {
  const issued = issuedAt && Number.isFinite(issuedAt.getTime()) ? issuedAt.getTime() : receivedAt;
  const lifetime = expiresAt.getTime() - issued;
  return receivedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2);
}

/**
 * A Keystone v3 session: authenticates, finds endpoints in the catalog, and sends authenticated requests,
 * renewing the token before it expires and once more when a service answers 401.
 */
export class Session {
  private token?: Token;
  private refreshAt = 0;
  private identityUrl?: string;
  private pending?: Promise<Token>;

  constructor(
    private readonly http: HttpClient,
    private readonly cloud: ResolvedCloud,
    private readonly now: () => Date = () => new Date(),
  ) {
    registerSecrets(http, cloud.auth);
  }

  async currentToken(): Promise<Token> {
    if (this.token && this.now().getTime() < this.refreshAt) return this.token;
    return this.authenticate();
  }

  /** Sends a request with the token; on a 401 it authenticates again and repeats the request once. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const token = await this.currentToken();
    try {
      return await this.http.request(withToken(req, token.value));
    } catch (error) {
      if (!isHttpStatus(error, 401) || isStreamBody(req.body)) throw error;
      if (this.token === token) this.token = undefined;
      const fresh = await this.currentToken();
      return this.http.request(withToken(req, fresh.value));
    }
  }

  /**
   * The endpoint of a service type for the cloud's interface and region, without a trailing version; `asIs`
   * keeps it whole (Swift's `/v1/AUTH_project`, or Ceph RGW's `/swift/v1`, is the account, not a version).
   */
  async endpoint(serviceType: string, override?: string, asIs = false): Promise<string> {
    const keep = asIs ? (url: string) => url.replace(/\/+$/, '') : stripVersion;
    if (override) return keep(override);
    const token = await this.currentToken();
    const { interface: iface, regionName, name } = this.cloud;
    return keep(findEndpoint(token.catalog, serviceType, iface, regionName, name));
  }

  private authenticate(): Promise<Token> {
    // Parallel requests that all find the token stale share one authentication.
    this.pending ??= this.issueToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async issueToken(): Promise<Token> {
    const base = await this.identityBase();
    let response: HttpResponse;
    try {
      response = await this.http.request({
        method: 'POST',
        url: `${base}/auth/tokens`,
        json: authRequestBody(this.cloud.auth),
        idempotent: true, // issuing a token changes nothing
      });
    } catch (error) {
      if (isHttpStatus(error, 401, 403, 404)) {
        const answer = `${error.status}${error.serviceMessage ? `: ${error.serviceMessage}` : ''}`;
        throw new AuthError(`cloud "${this.cloud.name}": Keystone at ${base} refused the credentials (${answer})`);
      }
      throw this.unreachable(error);
    }
    const value = response.headers.get('x-subject-token');
    if (!value) throw new AuthError(`cloud "${this.cloud.name}": Keystone at ${base} returned no X-Subject-Token`);
    this.http.redactor.add(value);
    const body = response.json<TokenBody>();
    const issuedAt = body.token.issued_at ? new Date(body.token.issued_at) : undefined;
    this.refreshAt = refreshTime(new Date(body.token.expires_at), issuedAt, this.now().getTime());
    this.token = {
      value,
      expiresAt: new Date(body.token.expires_at),
      catalog: body.token.catalog ?? [],
      userId: body.token.user?.id,
      userName: body.token.user?.name,
      projectId: body.token.project?.id,
      projectName: body.token.project?.name,
      roles: (body.token.roles ?? []).map((role) => role.name),
    };
    return this.token;
  }

  /** The Keystone v3 base URL: the auth_url itself when it names v3, else found by version discovery. */
  private async identityBase(): Promise<string> {
    if (this.identityUrl) return this.identityUrl;
    const authUrl = this.cloud.auth.authUrl.replace(/\/+$/, '');
    if (/\/v3(\.\d+)?$/.test(authUrl)) {
      this.identityUrl = authUrl;
      return authUrl;
    }
    const response = await this.http
      .request({ method: 'GET', url: authUrl, alsoOk: [300] })
      .catch((error: unknown) => Promise.reject(this.unreachable(error)));
    const found = v3LinkIn(response.json());
    if (!found) {
      const problem = `no Keystone v3 API at ${authUrl} (version discovery found none)`;
      throw new AuthError(`cloud "${this.cloud.name}": ${problem}`);
    }
    this.identityUrl = found.replace(/\/+$/, '');
    return this.identityUrl;
  }

  private unreachable(error: unknown): unknown {
    if (!(error instanceof ConnectionError)) return error;
    return new AuthError(`cloud "${this.cloud.name}": cannot reach Keystone: ${error.message}`);
  }
}

function withToken(req: HttpRequest, token: string): HttpRequest {
  return { ...req, headers: { ...req.headers, 'X-Auth-Token': token } };
}

function registerSecrets(http: HttpClient, auth: AuthConfig): void {
  if (auth.type === 'password') http.redactor.add(auth.password);
  if (auth.type === 'v3applicationcredential') http.redactor.add(auth.applicationCredentialSecret);
  if (auth.type === 'token') http.redactor.add(auth.token);
}

interface VersionEntry {
  id?: string;
  status?: string;
  links?: Array<{ rel?: string; href?: string }>;
}

function v3LinkIn(body: unknown): string | undefined {
  const data = body as { versions?: { values?: VersionEntry[] } | VersionEntry[]; version?: VersionEntry } | undefined;
  const versions = data?.versions;
  const list: VersionEntry[] = Array.isArray(versions)
    ? versions
    : (versions?.values ?? (data?.version ? [data.version] : []));
  const v3s = list.filter((v) => v.id?.startsWith('v3'));
  const v3 = v3s.find((v) => v.status !== 'deprecated') ?? v3s[0];
  return v3?.links?.find((link) => link.rel === 'self')?.href;
}

export function authRequestBody(auth: AuthConfig): unknown {
  switch (auth.type) {
    case 'password':
      return {
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                ...(auth.userId
                  ? { id: auth.userId }
                  : { name: auth.username, domain: domainRef(auth.userDomainId, auth.userDomainName) }),
                password: auth.password,
              },
            },
          },
          ...scopeOf(auth.scope),
        },
      };
    case 'v3applicationcredential':
      return {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: auth.applicationCredentialId
              ? { id: auth.applicationCredentialId, secret: auth.applicationCredentialSecret }
              : {
                  name: auth.applicationCredentialName,
                  secret: auth.applicationCredentialSecret,
                  user: auth.userId
                    ? { id: auth.userId }
                    : { name: auth.username, domain: domainRef(auth.userDomainId, auth.userDomainName) },
                },
          },
        },
      };
    case 'token':
      return { auth: { identity: { methods: ['token'], token: { id: auth.token } }, ...scopeOf(auth.scope) } };
  }
}

function domainRef(id: string | undefined, name: string | undefined): { id: string } | { name: string } | undefined {
  if (id) return { id };
  if (name) return { name };
  return undefined;
}

function scopeOf(scope: Scope): { scope?: unknown } {
  if (scope.projectId) return { scope: { project: { id: scope.projectId } } };
  if (scope.projectName) {
    const domain = domainRef(scope.projectDomainId, scope.projectDomainName);
    return { scope: { project: { name: scope.projectName, domain } } };
  }
  if (scope.domainId || scope.domainName) return { scope: { domain: domainRef(scope.domainId, scope.domainName) } };
  if (scope.systemScope) return { scope: { system: { [scope.systemScope]: true } } };
  return {};
}

export function findEndpoint(
  catalog: CatalogEntry[],
  serviceType: string,
  iface: EndpointInterface,
  region: string | undefined,
  cloudName: string,
): string {
  const services = catalog.filter((entry) => entry.type === serviceType);
  if (services.length === 0) {
    const types = [...new Set(catalog.map((entry) => entry.type))].sort().join(', ') || 'none';
    throw new AuthError(`cloud "${cloudName}": the catalog has no "${serviceType}" service (services: ${types})`);
  }
  const endpoints = services.flatMap((entry) => entry.endpoints);
  const match = endpoints.find(
    (ep) => ep.interface === iface && (!region || ep.region_id === region || ep.region === region),
  );
  if (!match) {
    const available = endpoints.map((ep) => `${ep.interface}@${ep.region_id ?? ep.region ?? '?'}`).join(', ');
    throw new AuthError(
      `cloud "${cloudName}": no ${iface} "${serviceType}" endpoint${region ? ` in region ${region}` : ''} ` +
        `(available: ${available})`,
    );
  }
  return match.url;
}

/** Glance's catalog URL may end in /v2 (or /v2.1); the client adds the version to each path itself. */
export function stripVersion(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v\d+(\.\d+)?$/, '');
}
