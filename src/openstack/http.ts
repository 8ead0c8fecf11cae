import { agentFor, fetchVia, type TlsOptions } from '../net/agent.js';
import type { FetchInit, FetchLike } from '../net/fetch.js';
import type { Redactor } from '../net/redact.js';
import { StallWatch } from '../net/stall-watch.js';
import { fetchUpload, isStreamBody, type StreamBody, undiciUpload, type UploadLike } from '../net/upload.js';
import { type Clock, systemClock } from '../util/clock.js';
import { ConnectionError, HttpError, outcomeUnknown, retriesSpent } from './errors.js';
import { connectionError, httpError, stallError } from './error-mapping.js';
import type { Log } from './log.js';
import { RequestStats } from './request-stats.js';
import { emptyResponse, type HttpRequest, type HttpResponse, isOk, toHttpResponse } from './request.js';
import { RetryPolicy, type RetryOptions } from './retry.js';

export interface HttpClientOptions extends RetryOptions {
  redactor: Redactor;
  log: Log;
  fetch?: FetchLike;
  tls?: TlsOptions;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  /** The time of timeouts, backoff pauses and Retry-After dates; default the system's. */
  clock?: Clock;
  userAgent?: string;
  /**
   * Sends streamed bodies. Default: `undici.request` on the client's connection pool (flat memory); with an
   * injected `fetch` (msw in tests), that fetch.
   */
  upload?: UploadLike;
}

/**
 * HTTP with the rules every OpenStack call shares: JSON, a timeout on every request, retries with capped
 * backoff and jitter for a time budget (not a count) only where repeating is safe (or where `recover` finds
 * out first), errors that carry the service's message, secrets redacted, and a count of requests by method
 * and path. Streamed bodies go out with backpressure and a stall timeout, and are never resent.
 */
export class HttpClient {
  readonly stats = new RequestStats();
  private readonly fetch: FetchLike;
  private readonly upload: UploadLike;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
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
    this.clock = options.clock ?? systemClock;
    this.retry = new RetryPolicy(options, () => this.clock.now());
    this.userAgent = options.userAgent ?? 'image-manager';
  }

  get redactor(): Redactor {
    return this.options.redactor;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (isStreamBody(req.body)) return this.sendStream(req, req.body);
    const started = this.clock.now();
    let lost = false; // an earlier attempt may have taken effect without its answer arriving
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(req, attempt);
      if ('response' in result) return result.response;
      const { error } = result;
      if (lost && error instanceof HttpError && req.okOnRepeat?.includes(error.status)) {
        this.options.log.debug({ method: req.method, url: this.redactor.text(req.url) }, 'done by the lost attempt');
        return emptyResponse(error.status);
      }
      if (!this.retry.mayRepeat(req, error)) throw error;
      const pause = this.retry.delay(attempt, result.retryAfter);
      if (!this.retry.inBudget(started, pause)) throw this.spent(error, attempt + 1, started);
      lost ||= outcomeUnknown(error);
      if (attempt === 0 && error instanceof ConnectionError) this.warnRetrying(req, error);
      await this.clock.sleep(pause);
      if (!this.retry.repeatable(req) && req.recover && outcomeUnknown(error)) {
        const recovered = await req.recover().catch(() => Promise.reject(error));
        if (recovered) return recovered;
      }
    }
  }

  /** An endpoint that does not answer is tried for the whole budget: say so at once, not only at the end. */
  private warnRetrying(req: HttpRequest, error: ConnectionError): void {
    const budget = `${this.retry.budgetMs / 1000} s`;
    const fields = { method: req.method, url: this.redactor.text(req.url) };
    this.options.log.warn(fields, `${error.message}; trying again for up to ${budget} (--retry-budget)`);
  }

  /** The last error of a request whose retry budget is spent; as it was when there is no budget to speak of. */
  private spent(error: HttpError | ConnectionError, attempts: number, started: number): Error {
    const { budgetMs } = this.retry;
    return budgetMs > 0 ? retriesSpent(error, attempts, this.clock.now() - started, budgetMs) : error;
  }

  private async attempt(req: HttpRequest, attempt: number): Promise<Attempt> {
    const started = this.clock.now();
    try {
      const response = await this.fetch(req.url, this.init(req));
      const text = await response.text();
      this.logRequest(req, response.status, started, attempt);
      if (isOk(response.status, req.alsoOk)) return { response: toHttpResponse(response, text) };
      return { error: httpError(req, response, text, this.scrub), retryAfter: response.headers.get('retry-after') };
    } catch (caught) {
      const error = connectionError(req, caught, this.timeoutOf(req), this.scrub);
      this.logRequest(req, error.reason, started, attempt);
      return { error, retryAfter: null };
    }
  }

  /** One attempt, never repeated: the body cannot be read twice. */
  private async sendStream(req: HttpRequest, body: StreamBody): Promise<HttpResponse> {
    const started = this.clock.now();
    const idleMs = this.timeoutOf(req);
    const watch = new StallWatch(idleMs, this.clock);
    this.stats.count(req.method, req.url);
    const watched = watch.watch(body);
    try {
      const init = { method: req.method, headers: this.headers(req), body: watched, signal: watch.signal };
      const response = await this.upload(req.url, init);
      const text = await response.text();
      this.logRequest(req, response.status, started, 0);
      if (isOk(response.status, req.alsoOk)) return toHttpResponse(response, text);
      throw httpError(req, response, text, this.scrub);
    } catch (caught) {
      if (caught instanceof HttpError) throw caught;
      const error = watch.fired
        ? stallError(req, watch.fired, idleMs, this.scrub)
        : connectionError(req, watch.sourceError ?? caught, idleMs, this.scrub, watch.sourceError !== undefined);
      this.logRequest(req, error.reason, started, 0);
      throw error;
    } finally {
      watch.stop();
      // An answer before the last byte (a 413, a 401) leaves the source open: let it go.
      if (!watched.readableEnded) watched.destroy();
    }
  }

  private readonly scrub = (text: string): string => this.redactor.text(text);

  private timeoutOf(req: HttpRequest): number {
    return req.timeoutMs ?? this.timeoutMs;
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
      signal: this.clock.timeoutSignal(this.timeoutOf(req)),
      redirect: 'follow',
    };
    if (req.json !== undefined) init.body = JSON.stringify(req.json);
    else if (req.body !== undefined && !isStreamBody(req.body)) init.body = req.body;
    return init;
  }

  private logRequest(req: HttpRequest, outcome: number | string, started: number, attempt: number): void {
    this.options.log.debug(
      {
        method: req.method,
        url: this.redactor.text(req.url),
        status: outcome,
        ms: this.clock.now() - started,
        attempt,
      },
      'request',
    );
  }
}

type Attempt = { response: HttpResponse } | { error: HttpError | ConnectionError; retryAfter: string | null };
