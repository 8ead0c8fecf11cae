import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import type { TlsConfig } from '../config/types.js';
import { ConnectionError, HttpError, outcomeUnknown, serviceMessageOf } from './errors.js';
import type { Redactor } from './redact.js';
import type { Log } from './log.js';
import { fetchFailure } from '../util/fetch-failure.js';
import { fetchUpload, isStreamBody, StallWatch, type StreamBody, undiciUpload, type UploadLike } from './upload.js';

export { isStreamBody, type StreamBody, type UploadLike } from './upload.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestBody = string | Uint8Array | StreamBody;

/** The part of fetch this client uses: undici's fetch in production, msw's patched global fetch in tests. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
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
  /**
   * Statuses that mean done when they answer a repeat of a request whose earlier answer was lost (no answer,
   * or 502/503/504): 404 for a DELETE that the first attempt carried out.
   */
  okOnRepeat?: number[];
  /**
   * For a request not safe to repeat: after a failure that leaves its outcome unknown (`outcomeUnknown`),
   * finds out whether it took effect. Resolves with a response to use as its answer, or undefined to send
   * it again (after the backoff, within `retries`); when it throws, the request's own error is thrown.
   * With `recover`, a 429 (nothing done) is repeated without asking.
   */
  recover?: () => Promise<HttpResponse | undefined>;
  /**
   * The timeout of one attempt. For a streamed body: the longest stall (no byte moved, or no answer after
   * the last byte), however long the whole upload takes.
   */
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
  /** The clock a Retry-After date is compared with. */
  now?: () => number;
  userAgent?: string;
  /**
   * Sends streamed bodies. Default: `undici.request` on the client's connection pool (flat memory); with an
   * injected `fetch` (msw in tests), that fetch.
   */
  upload?: UploadLike;
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
 * and jitter only where repeating is safe (or where `recover` finds out first), errors that carry the
 * service's message, secrets redacted, and a count of requests by method and path. Streamed bodies go out
 * with backpressure and a stall timeout, and are never resent.
 */
export class HttpClient {
  readonly stats = new RequestStats();
  private readonly fetch: FetchLike;
  private readonly upload: UploadLike;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly userAgent: string;

  constructor(private readonly options: HttpClientOptions) {
    if (options.fetch) {
      this.fetch = options.fetch;
      this.upload = options.upload ?? fetchUpload(options.fetch);
    } else {
      const agent = agentFor(options.tls);
      this.fetch = fetchVia(agent);
      this.upload = options.upload ?? undiciUpload(agent);
    }
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 4;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.userAgent = options.userAgent ?? 'image-manager';
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (isStreamBody(req.body)) return this.sendStream(req, req.body);
    const repeatable = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
    let lost = false; // an earlier attempt may have taken effect without its answer arriving
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(req, attempt);
      if ('response' in result) return result.response;
      const { error } = result;
      if (lost && error instanceof HttpError && req.okOnRepeat?.includes(error.status)) {
        this.options.log.debug({ method: req.method, url: this.redactor.text(req.url) }, 'done by the lost attempt');
        return emptyResponse(error.status);
      }
      if (attempt >= this.retries || !mayRepeat(req, repeatable, error)) throw error;
      lost ||= outcomeUnknown(error);
      await this.sleep(this.delay(attempt, result.retryAfter));
      if (!repeatable && req.recover && outcomeUnknown(error)) {
        const recovered = await req.recover().catch(() => Promise.reject(error));
        if (recovered) return recovered;
      }
    }
  }

  private async attempt(req: HttpRequest, attempt: number): Promise<Attempt> {
    const started = Date.now();
    try {
      const response = await this.fetch(req.url, this.init(req));
      const text = await response.text();
      this.logRequest(req, response.status, started, attempt);
      if (isOk(response.status, req.alsoOk)) return { response: toHttpResponse(response, text) };
      return { error: this.httpError(req, response, text), retryAfter: response.headers.get('retry-after') };
    } catch (caught) {
      const error = this.connectionError(req, caught);
      this.logRequest(req, error.reason, started, attempt);
      return { error, retryAfter: null };
    }
  }

  /** One attempt, never repeated: the body cannot be read twice. */
  private async sendStream(req: HttpRequest, body: StreamBody): Promise<HttpResponse> {
    const started = Date.now();
    const idleMs = req.timeoutMs ?? this.timeoutMs;
    const watch = new StallWatch(idleMs);
    this.stats.count(req.method, req.url);
    const watched = watch.watch(body);
    try {
      const init = { method: req.method, headers: this.headers(req), body: watched, signal: watch.signal };
      const response = await this.upload(req.url, init);
      const text = await response.text();
      this.logRequest(req, response.status, started, 0);
      if (isOk(response.status, req.alsoOk)) return toHttpResponse(response, text);
      throw this.httpError(req, response, text);
    } catch (caught) {
      if (caught instanceof HttpError) throw caught;
      const error = watch.fired
        ? this.stallError(req, watch.fired, idleMs)
        : this.connectionError(req, watch.sourceError ?? caught, watch.sourceError !== undefined);
      this.logRequest(req, error.reason, started, 0);
      throw error;
    } finally {
      watch.stop();
      // An answer before the last byte (a 413, a 401) leaves the source open: let it go.
      if (!watched.readableEnded) watched.destroy();
    }
  }

  private headers(req: HttpRequest): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...req.headers,
    };
    if (req.json !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    else if (req.contentType) headers['Content-Type'] = req.contentType;
    return headers;
  }

  private init(req: HttpRequest): FetchInit {
    this.stats.count(req.method, req.url);
    const init: FetchInit = {
      method: req.method,
      headers: this.headers(req),
      signal: AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs),
      redirect: 'follow',
    };
    if (req.json !== undefined) init.body = JSON.stringify(req.json);
    else if (req.body !== undefined && !isStreamBody(req.body)) init.body = req.body;
    return init;
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

  /** No answer; `fromSource`: reading the streamed body failed (the image server or file, not the service). */
  private connectionError(req: HttpRequest, caught: unknown, fromSource = false): ConnectionError {
    const url = this.redactor.text(req.url);
    if (!fromSource && caught instanceof Error && (caught.name === 'TimeoutError' || caught.name === 'AbortError')) {
      const seconds = (req.timeoutMs ?? this.timeoutMs) / 1000;
      return new ConnectionError(req.method, url, `no answer within ${seconds} s`, false, true);
    }
    const { code, message } = failureOf(caught);
    const reason = this.redactor.text(describeCode(code ?? message));
    if (fromSource) return new ConnectionError(req.method, url, `reading the data to send failed: ${reason}`, false);
    return new ConnectionError(req.method, url, reason, code !== undefined && NOT_SENT_CODES.has(code));
  }

  private stallError(req: HttpRequest, fired: 'stalled' | 'no-answer', idleMs: number): ConnectionError {
    const seconds = idleMs / 1000;
    const reason = fired === 'stalled' ? `no data moved for ${seconds} s` : `no answer ${seconds} s after the upload`;
    return new ConnectionError(req.method, this.redactor.text(req.url), reason, false, true);
  }

  /**
   * The backoff with jitter, or longer when the server asks (Retry-After, capped at 60 s): a server's
   * `Retry-After: 0` must not turn the retries into a burst that a brief outage swallows whole.
   */
  private delay(attempt: number, retryAfter: string | null): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
    // "Equal jitter": at least half the backoff, so retries never collapse onto each other.
    const backoff = ceiling / 2 + this.random() * (ceiling / 2);
    return Math.min(Math.max(this.retryAfterMs(retryAfter) ?? 0, backoff), 60_000);
  }

  /** Retry-After in seconds, or as an HTTP date still to come; undefined when absent or unusable. */
  private retryAfterMs(value: string | null): number | undefined {
    if (value === null || value.trim() === '') return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
    const date = Date.parse(value);
    const now = this.now();
    return Number.isFinite(date) && date > now ? date - now : undefined;
  }

  private logRequest(req: HttpRequest, outcome: number | string, started: number, attempt: number): void {
    this.options.log.debug(
      { method: req.method, url: this.redactor.text(req.url), status: outcome, ms: Date.now() - started, attempt },
      'request',
    );
  }
}

type Attempt = { response: HttpResponse } | { error: HttpError | ConnectionError; retryAfter: string | null };

/**
 * Whether a failed attempt may be followed by another: a status worth waiting out (429, 502, 503, 504) or a
 * connection failure, for a request safe to repeat or one that can find out first (`recover`); any request
 * after an error that proves nothing was sent.
 */
function mayRepeat(req: HttpRequest, repeatable: boolean, error: HttpError | ConnectionError): boolean {
  if (error instanceof HttpError) return RETRY_STATUSES.has(error.status) && (repeatable || req.recover !== undefined);
  return repeatable || error.notSent || req.recover !== undefined;
}

function emptyResponse(status: number): HttpResponse {
  return { status, headers: new Headers(), text: '', json: <T>() => undefined as T };
}

/** fetch puts the system error in `cause`; undici.request throws it (or its own error with a code) as is. */
function failureOf(caught: unknown): { code?: string; message: string } {
  const failure = fetchFailure(caught);
  const own = (caught as { code?: unknown } | null)?.code;
  return failure.code === undefined && typeof own === 'string' ? { ...failure, code: own } : failure;
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
  return fetchVia(agentFor(tls));
}

/** One keep-alive connection pool with the cloud's TLS settings. */
export function agentFor(tls: TlsConfig | undefined): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    connections: 16,
    connect: {
      rejectUnauthorized: tls?.verify ?? true,
      ...(tls?.caCertFile ? { ca: readFileSync(tls.caCertFile) } : {}),
      ...(tls?.certFile ? { cert: readFileSync(tls.certFile) } : {}),
      ...(tls?.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
    },
  });
}

function fetchVia(agent: Agent): FetchLike {
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
