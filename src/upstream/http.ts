import type { FetchLike, FetchResponse } from '../net/fetch.js';
import { maskUserinfo } from '../net/redact.js';
import { fetchFailure } from '../net/fetch-failure.js';
import { type Clock, systemClock } from '../util/clock.js';

/** An upstream that did not answer as expected; the message names the URL (credentials masked) and what was wanted. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly url: string,
    problem: string,
  ) {
    // The problem may quote the URL too (undici: "Request cannot be constructed from a URL that includes credentials").
    const shown = maskUserinfo(url);
    super(`${shown}: ${problem.split(url).join(shown)}`);
  }
}

export interface UpstreamHttpOptions {
  timeoutMs?: number;
  /** Index and checksum files are small; a bigger answer is a wrong URL (an image, say), not read to the end. */
  maxBytes?: number;
  /** What the answers are, for the message that refuses a bigger one; default "an index or checksum file". */
  expected?: string;
  /** The time of the timeouts; default the system's. */
  clock?: Clock;
}

/**
 * Reads upstream index pages and checksum files: GET as text (strict UTF-8) and HEAD for Last-Modified, each
 * bounded by one timeout and a size limit, redirects followed (a loop stops after 20). Counts its requests.
 */
export class UpstreamHttp {
  requests = 0;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly expected: string;
  private readonly clock: Clock;

  constructor(
    private readonly fetch: FetchLike,
    options: UpstreamHttpOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.expected = options.expected ?? 'an index or checksum file';
    this.clock = options.clock ?? systemClock;
  }

  async text(url: string): Promise<string> {
    const { response, at } = await this.send(url, 'GET');
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw failed(at, url, `answered HTTP ${response.status}`);
    }
    return this.readLimited(at, url, response);
  }

  /** The Last-Modified header of a URL (HEAD), or undefined when the server sends none. */
  async lastModified(url: string): Promise<string | undefined> {
    const { response, at } = await this.send(url, 'HEAD');
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) {
      throw failed(at, url, `answered HTTP ${response.status}`);
    }
    return response.headers.get('last-modified') ?? undefined;
  }

  /**
   * The answer of `url`, redirects followed here (so an error names the URL that failed, not the first),
   * the whole chain and the body within one timeout; `at` is the URL that answered.
   */
  private async send(url: string, method: 'GET' | 'HEAD'): Promise<{ response: FetchResponse; at: string }> {
    this.requests++;
    const signal = this.clock.timeoutSignal(this.timeoutMs);
    let at = url;
    for (let hops = 0; ; hops++) {
      let response: FetchResponse;
      try {
        response = await this.fetch(at, { method, headers: {}, redirect: 'manual', signal });
      } catch (error) {
        throw failed(at, url, describeFailure(error, this.timeoutMs));
      }
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return { response, at };
      await response.body?.cancel();
      if (hops === MAX_REDIRECTS) throw failed(at, url, 'too many redirects (a redirect loop?)');
      at = redirectTarget(at, url, location);
    }
  }

  private async readLimited(at: string, url: string, response: FetchResponse): Promise<string> {
    if (!response.body) return response.text();
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.maxBytes) {
          await reader.cancel();
          throw failed(at, url, `answered more than ${this.maxBytes} bytes: not ${this.expected}`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw failed(at, url, describeFailure(error, this.timeoutMs));
    }
    return decodeUtf8(at, url, Buffer.concat(chunks));
  }
}

/** Undici's limit, kept now that redirects are followed here. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An UpstreamError naming the URL that failed, and the one asked when a redirect led there. */
function failed(at: string, asked: string, problem: string): UpstreamError {
  return new UpstreamError(at, at === asked ? problem : `${problem} (redirected from ${maskUserinfo(asked)})`);
}

/** Where a redirect leads: an http(s) URL, resolved against the one that answered. */
function redirectTarget(at: string, asked: string, location: string): string {
  let target: URL;
  try {
    target = new URL(location, at);
  } catch {
    throw failed(at, asked, `redirects to ${JSON.stringify(location)}, which is no URL`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw failed(at, asked, `redirects to a ${target.protocol} URL: not followed`);
  }
  return target.href;
}

/** Text that is not UTF-8 is refused, not read with replacement characters that would hide what it held. */
function decodeUtf8(at: string, asked: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw failed(at, asked, 'answered text that is not UTF-8: not read');
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const { code, message } = fetchFailure(error);
  return code ? `cannot be reached (${code})` : `cannot be read (${message})`;
}
