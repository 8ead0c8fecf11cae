import { createHash } from 'node:crypto';
import type { Checksum } from '../definitions/types.js';
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
   * The sha256 of the artifact at `url`, streamed through the hash and never kept: for an upstream that
   * publishes no checksum. Bounded by `limits` (its own timeout, for an image is no index file) and, when
   * upstream announced one, by its exact size.
   */
  async sha256Of(url: string, limits: DigestLimits): Promise<Checksum> {
    if (limits.size !== undefined && limits.size > limits.maxBytes) {
      throw new UpstreamError(url, `announces ${limits.size} bytes, more than the ${limits.maxBytes} hashed at most`);
    }
    const { response, at } = await this.send(url, 'GET', limits.timeoutMs);
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw failed(at, url, `answered HTTP ${response.status}`);
    }
    const hash = createHash('sha256');
    const size = await this.readInto(at, url, response, limits, (chunk) => hash.update(chunk));
    if (limits.size !== undefined && size !== limits.size) {
      throw failed(at, url, `answered ${size} bytes, not the ${limits.size} announced: not hashed`);
    }
    return { algo: 'sha256', hex: hash.digest('hex') };
  }

  /**
   * The answer of `url`, redirects followed here (so an error names the URL that failed, not the first),
   * the whole chain and the body within one timeout; `at` is the URL that answered.
   */
  private async send(
    url: string,
    method: 'GET' | 'HEAD',
    timeoutMs = this.timeoutMs,
  ): Promise<{ response: FetchResponse; at: string }> {
    this.requests++;
    const signal = this.clock.timeoutSignal(timeoutMs);
    let at = url;
    for (let hops = 0; ; hops++) {
      let response: FetchResponse;
      try {
        response = await this.fetch(at, { method, headers: {}, redirect: 'manual', signal });
      } catch (error) {
        throw failed(at, url, describeFailure(error, timeoutMs));
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
    const chunks: Uint8Array[] = [];
    const limits = { maxBytes: this.maxBytes, timeoutMs: this.timeoutMs, tooBig: `not ${this.expected}` };
    await this.readInto(at, url, response, limits, (chunk) => chunks.push(chunk));
    return decodeUtf8(at, url, Buffer.concat(chunks));
  }

  /** Hands each chunk of the body on, refusing more than `maxBytes`; the number of bytes read. */
  private async readInto(
    at: string,
    url: string,
    response: FetchResponse,
    limits: { maxBytes: number; timeoutMs: number; tooBig?: string },
    take: (chunk: Uint8Array) => unknown,
  ): Promise<number> {
    if (!response.body) return 0;
    const reader = response.body.getReader();
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return size;
        size += value.byteLength;
        if (size > limits.maxBytes) {
          await reader.cancel();
          throw failed(at, url, `answered more than ${limits.maxBytes} bytes: ${limits.tooBig ?? 'not read on'}`);
        }
        take(value);
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw failed(at, url, describeFailure(error, limits.timeoutMs));
    }
  }
}

/** How much of an artifact `sha256Of` reads, and for how long; `size` is what upstream announced, if anything. */
export interface DigestLimits {
  maxBytes: number;
  timeoutMs: number;
  size?: number;
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
