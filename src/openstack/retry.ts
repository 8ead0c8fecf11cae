import { HttpError, type ConnectionError } from './errors.js';
import type { HttpRequest, Method } from './request.js';

export interface RetryOptions {
  /**
   * How long a failed request may be tried, from the start of its first attempt: a repeat whose pause would
   * end later is not sent. Default 2 minutes; 0: never repeated.
   */
  retryBudgetMs?: number;
  backoffBaseMs?: number;
  /** The longest backoff pause (Retry-After may ask for more); default 10 s. */
  backoffMaxMs?: number;
  random?: () => number;
}

/** How long a request is tried by default: a busy Glance's 503s are waited out, not counted. */
export const DEFAULT_RETRY_BUDGET_MS = 120_000;

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE']);

/** When a failed request is sent again, and after how long. */
export class RetryPolicy {
  readonly budgetMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly random: () => number;

  /** `now`: the clock a Retry-After date is compared with. */
  constructor(
    options: RetryOptions,
    private readonly now: () => number,
  ) {
    this.budgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  repeatable(req: HttpRequest): boolean {
    return req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
  }

  /**
   * Whether a failed attempt may be followed by another: a status worth waiting out (429, 502, 503, 504) or a
   * connection failure, for a request safe to repeat or one that can find out first (`recover`); any request
   * after an error that proves nothing was sent.
   */
  mayRepeat(req: HttpRequest, error: HttpError | ConnectionError): boolean {
    const repeatable = this.repeatable(req);
    if (error instanceof HttpError)
      return RETRY_STATUSES.has(error.status) && (repeatable || req.recover !== undefined);
    return repeatable || error.notSent || req.recover !== undefined;
  }

  /** Whether a repeat after `pauseMs` still starts within the budget of a request first sent at `started`. */
  inBudget(started: number, pauseMs: number): boolean {
    return this.now() + pauseMs - started <= this.budgetMs;
  }

  /**
   * The backoff with jitter, or longer when the server asks (Retry-After, capped at 60 s): a server's
   * `Retry-After: 0` must not turn the retries into a burst that a brief outage swallows whole.
   */
  delay(attempt: number, retryAfter: string | null): number {
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
}
