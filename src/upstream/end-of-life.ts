import { type Clock, systemClock } from '../util/clock.js';
import type { FetchLike } from '../net/fetch.js';
import { UpstreamError, UpstreamHttp } from './http.js';

/** endoflife.date's API v0, which OIM's check_updates.py reads; `{product}` stands for the product. */
export const DEFAULT_EOL_API = 'https://endoflife.date/api/{product}.json';

/** A product's answer is a few dozen kilobytes (Ubuntu's, the longest here, about 10 KB in v0). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** The URL of one product's answer: the template with `{product}` replaced. */
export function productUrl(template: string, product: string): string {
  return template.split('{product}').join(encodeURIComponent(product));
}

export interface EndOfLifeApiOptions {
  fetch: FetchLike;
  timeoutMs: number;
  clock?: Clock;
}

/**
 * Reads endoflife.date answers: GET, redirects followed, each within one timeout and 1 MiB, strict UTF-8, then
 * JSON. An UpstreamError names the URL that failed; the answer's shape is for the caller to check.
 */
export class EndOfLifeApi {
  private readonly http: UpstreamHttp;

  constructor({ fetch, timeoutMs, clock = systemClock }: EndOfLifeApiOptions) {
    this.http = new UpstreamHttp(fetch, {
      timeoutMs,
      clock,
      maxBytes: MAX_ANSWER_BYTES,
      expected: "an endoflife.date product's answer",
    });
  }

  get requests(): number {
    return this.http.requests;
  }

  async json(url: string): Promise<unknown> {
    const text = await this.http.text(url);
    try {
      return JSON.parse(text);
    } catch {
      throw new UpstreamError(url, 'answered text that is not JSON');
    }
  }
}
