import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import type { TlsConfig } from '../config/types.js';
import { ConnectionError, HttpError, serviceMessageOf } from './errors.js';
import type { Redactor } from './redact.js';
import type { Log } from './log.js';
import { fetchFailure } from '../util/fetch-failure.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestBody = string | Uint8Array | ReadableStream<Uint8Array>;

/** The part of fetch this client uses: undici's fetch in production, msw's patched global fetch in tests. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  redirect?: 'follow' | 'manual' | 'error';
  duplex?: 'half';
}
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

export interface HttpRequest {
  method: Method;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON with the given content type (default application/json). */
  json?: unknown;
  body?: RequestBody;
  contentType?: string;
  /** Statuses treated as success besides 2xx (Keystone's version discovery answers 300). */
  alsoOk?: number[];
  /** Safe to send twice. Default: GET, HEAD, PUT and DELETE. A streamed body is never resent. */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  json<T = unknown>(): T;
}

export interface HttpClientOptions {
  redactor: Redactor;
  log: Log;
  fetch?: FetchLike;
  tls?: TlsConfig;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  /** Attempts after the first for requests safe to repeat; default 4. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  userAgent?: string;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE']);
// Errors raised before any byte of the request left this machine.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * HTTP with the rules every OpenStack call shares: JSON, a timeout on every request, retries with backoff
 * and jitter only where repeating is safe, errors that carry the service's message, secrets redacted, and
 * a count of requests by method and path.
 */
export class HttpClient {
  readonly stats = new RequestStats();
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly userAgent: string;

  constructor(private readonly options: HttpClientOptions) {
    this.fetch = options.fetch ?? undiciFetchWith(options.tls);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 4;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.userAgent = options.userAgent ?? 'image-manager';
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const streamed = req.body instanceof ReadableStream;
    const repeatable = !streamed && (req.idempotent ?? IDEMPOTENT_METHODS.has(req.method));
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const response = await this.send(req);
        const text = await response.text();
        this.logRequest(req, response.status, started, attempt);
        if (isOk(response.status, req.alsoOk)) return toHttpResponse(response, text);
        const error = this.httpError(req, response, text);
        if (!(repeatable && RETRY_STATUSES.has(response.status) && attempt < this.retries)) throw error;
        await this.sleep(this.delay(attempt, response.headers.get('retry-after')));
      } catch (caught) {
        if (caught instanceof HttpError) throw caught;
        const error = this.connectionError(req, caught);
        this.logRequest(req, error.reason, started, attempt);
        if (!((repeatable || (error.notSent && !streamed)) && attempt < this.retries)) throw error;
        await this.sleep(this.delay(attempt, null));
      }
    }
  }

  private send(req: HttpRequest): Promise<FetchResponse> {
    this.stats.count(req.method, req.url);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...req.headers,
    };
    let body: RequestBody | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    } else if (req.contentType) {
      headers['Content-Type'] = req.contentType;
    }
    const init: FetchInit = {
      method: req.method,
      headers,
      signal: AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs),
      redirect: 'follow',
    };
    if (body !== undefined) init.body = body;
    if (body instanceof ReadableStream) init.duplex = 'half';
    return this.fetch(req.url, init);
  }

  private httpError(req: HttpRequest, response: FetchResponse, text: string): HttpError {
    const message = serviceMessageOf(text, response.headers.get('content-type'), (t) => this.redactor.text(t));
    const requestId = response.headers.get('x-openstack-request-id') ?? undefined;
    return new HttpError(
      response.status,
      req.method,
      this.redactor.text(req.url),
      this.redactor.text(message),
      requestId,
    );
  }

  private connectionError(req: HttpRequest, caught: unknown): ConnectionError {
    const url = this.redactor.text(req.url);
    if (caught instanceof Error && (caught.name === 'TimeoutError' || caught.name === 'AbortError')) {
      const seconds = (req.timeoutMs ?? this.timeoutMs) / 1000;
      return new ConnectionError(req.method, url, `no answer within ${seconds} s`, false, true);
    }
    const { code, message } = fetchFailure(caught);
    const reason = this.redactor.text(describeCode(code ?? message));
    return new ConnectionError(req.method, url, reason, code !== undefined && NOT_SENT_CODES.has(code));
  }

  private delay(attempt: number, retryAfter: string | null): number {
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
    // "Equal jitter": at least half the backoff, so retries never collapse onto each other.
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  private logRequest(req: HttpRequest, outcome: number | string, started: number, attempt: number): void {
    this.options.log.debug(
      { method: req.method, url: this.redactor.text(req.url), status: outcome, ms: Date.now() - started, attempt },
      'request',
    );
  }
}

function isOk(status: number, alsoOk: number[] | undefined): boolean {
  return (status >= 200 && status < 300) || (alsoOk?.includes(status) ?? false);
}

function toHttpResponse(response: FetchResponse, text: string): HttpResponse {
  return {
    status: response.status,
    headers: response.headers,
    text,
    json<T>(): T {
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

function describeCode(reason: string): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
    UND_ERR_SOCKET: 'connection closed by the server',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (set cacert, or verify: false)',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain (set cacert, or verify: false)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified (set cacert)',
  };
  return known[reason] ? `${known[reason]} (${reason})` : reason;
}

/** undici's fetch over one keep-alive connection pool per client, with the cloud's TLS settings. */
export function undiciFetchWith(tls: TlsConfig | undefined): FetchLike {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    connections: 16,
    connect: {
      rejectUnauthorized: tls?.verify ?? true,
      ...(tls?.caCertFile ? { ca: readFileSync(tls.caCertFile) } : {}),
      ...(tls?.certFile ? { cert: readFileSync(tls.certFile) } : {}),
      ...(tls?.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
    },
  });
  return (url, init) => {
    const withAgent = { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1];
    return undiciFetch(url, withAgent) as unknown as Promise<FetchResponse>;
  };
}

/** Requests counted by method and path, with ids replaced so that calls of one kind add up. */
export class RequestStats {
  private readonly counts = new Map<string, number>();

  count(method: string, url: string): void {
    const key = `${method} ${pathTemplate(url)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  entries(): Array<{ request: string; count: number }> {
    return [...this.counts.entries()]
      .map(([request, count]) => ({ request, count }))
      .sort((a, b) => b.count - a.count || a.request.localeCompare(b.request));
  }

  /** Counts of requests that change something: not GET or HEAD, and not the issue of a token. */
  writes(): number {
    let sum = 0;
    for (const [key, n] of this.counts) {
      if (!key.startsWith('GET ') && !key.startsWith('HEAD ') && !key.endsWith('/auth/tokens')) sum += n;
    }
    return sum;
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function pathTemplate(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const previous = segments[i - 1];
      // The named slots first: member ids are 32-hex project ids and a tag may look like a UUID.
      if (previous === 'tags') return '{tag}';
      if (previous === 'members') return '{member}';
      if (UUID.test(segment)) return '{id}';
      return segment;
    })
    .join('/');
}
