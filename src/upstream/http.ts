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
  /** The time of the timeouts; default the system's. */
  clock?: Clock;
}

/**
 * Reads upstream index pages and checksum files: GET as text and HEAD for Last-Modified, each bounded by a
 * timeout and a size limit, redirects followed (undici stops a loop after 20). Counts its requests.
 */
export class UpstreamHttp {
  requests = 0;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly clock: Clock;

  constructor(
    private readonly fetch: FetchLike,
    options: UpstreamHttpOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.clock = options.clock ?? systemClock;
  }

  async text(url: string): Promise<string> {
    const response = await this.send(url, 'GET');
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw new UpstreamError(url, `answered HTTP ${response.status}`);
    }
    return this.readLimited(url, response);
  }

  /** The Last-Modified header of a URL (HEAD), or undefined when the server sends none. */
  async lastModified(url: string): Promise<string | undefined> {
    const response = await this.send(url, 'HEAD');
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) {
      throw new UpstreamError(url, `answered HTTP ${response.status}`);
    }
    return response.headers.get('last-modified') ?? undefined;
  }

  private async send(url: string, method: 'GET' | 'HEAD'): Promise<FetchResponse> {
    this.requests++;
    try {
      const signal = this.clock.timeoutSignal(this.timeoutMs);
      return await this.fetch(url, { method, headers: {}, redirect: 'follow', signal });
    } catch (error) {
      throw new UpstreamError(url, describeFailure(error, this.timeoutMs));
    }
  }

  private async readLimited(url: string, response: FetchResponse): Promise<string> {
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
          throw new UpstreamError(url, `answered more than ${this.maxBytes} bytes: not an index or checksum file`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw new UpstreamError(url, describeFailure(error, this.timeoutMs));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const { code, message } = fetchFailure(error);
  if (/redirect count exceeded/i.test(message)) return 'too many redirects (a redirect loop?)';
  return code ? `cannot be reached (${code})` : `cannot be read (${message})`;
}
