import { Readable, Transform, type TransformCallback } from 'node:stream';
import { type Dispatcher, request as undiciRequest } from 'undici';
import type { FetchLike, FetchResponse } from './http.js';

/** A request body read as it is sent: a web stream (what the importer hashes through) or a Node stream. */
export type StreamBody = ReadableStream<Uint8Array> | Readable;

export function isStreamBody(body: unknown): body is StreamBody {
  return body instanceof ReadableStream || body instanceof Readable;
}

export interface UploadInit {
  method: string;
  headers: Record<string, string>;
  body: Readable;
  signal: AbortSignal;
}

/** Sends one request with a streamed body; resolves with the answer once its headers are in. */
export type UploadLike = (url: string, init: UploadInit) => Promise<FetchResponse>;

/**
 * Streamed bodies through `undici.request`, which reads the body only as fast as the socket takes it and
 * lets each chunk go once written: memory stays flat for any image size. undici's fetch keeps every chunk
 * of a streamed body until the request ends (2.2 GB of memory for a 2 GiB image).
 * undici's own header and body timeouts are off: a long upload from a slow source would trip the header
 * timeout, which undici refreshes only when the socket is full; the caller's stall watchdog replaces them.
 */
export function undiciUpload(dispatcher: Dispatcher): UploadLike {
  return async (url, init) => {
    const { statusCode, headers, body } = await undiciRequest(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return {
      status: statusCode,
      headers: { get: (name: string) => headerValue(headers[name.toLowerCase()]) },
      text: () => body.text(),
      body: null,
    };
  };
}

/** Streamed bodies through an injected fetch (msw in tests): the web stream as it is, half duplex. */
export function fetchUpload(fetch: FetchLike): UploadLike {
  return (url, init) =>
    fetch(url, {
      method: init.method,
      headers: init.headers,
      body: Readable.toWeb(init.body) as ReadableStream<Uint8Array>,
      duplex: 'half',
      signal: init.signal,
      redirect: 'follow',
    });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A timeout for a streamed request that measures stalls, not the whole transfer: it fires when no byte of
 * the body moved for `idleMs` (the source stalled, or the server stopped reading), or when the server has
 * not answered `idleMs` after the last byte. Every chunk passed on counts as movement; the timer is not reset
 * for each (tens of thousands a GiB): when it fires early, it waits again for what is left of `idleMs`.
 */
export class StallWatch {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private lastMoved = Date.now();
  /** Why it fired: the body stalled, or the answer did not come; undefined while it has not fired. */
  fired?: 'stalled' | 'no-answer';
  /** The error of the body's source (the image server, the file), when reading it failed. */
  sourceError?: unknown;
  private bodyDone = false;

  constructor(private readonly idleMs: number) {
    this.arm(idleMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The body as it should be sent: the same bytes, each chunk counted as movement. */
  watch(body: StreamBody): Readable {
    return body instanceof Readable ? this.watchNode(body) : this.watchWeb(body);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /**
   * A web stream (what the importer hashes through) read straight into the Node stream undici sends: each chunk
   * as it came, not copied, with no stream between them. Errors either way: a failing source fails the upload
   * (and is kept as `sourceError`), a failed or abandoned upload cancels the source.
   */
  private watchWeb(body: ReadableStream<Uint8Array>): Readable {
    const reader = body.getReader();
    const moved = (done: boolean) => this.moved(done);
    const failed = (error: unknown) => {
      this.sourceError = error;
    };
    return new Readable({
      // Up to 256 KiB read ahead of the socket: the source's chunks flow on while undici writes.
      highWaterMark: 2 ** 18,
      read() {
        reader.read().then(
          (next) => {
            moved(next.done);
            this.push(next.done ? null : next.value);
          },
          (error: unknown) => {
            failed(error);
            this.destroy(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
      destroy(error, callback) {
        reader.cancel(error ?? undefined).catch(() => undefined);
        callback(error);
      },
    });
  }

  private watchNode(source: Readable): Readable {
    const watch = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        this.moved(false);
        callback(null, chunk);
      },
      flush: (callback: TransformCallback) => {
        this.moved(true);
        callback();
      },
    });
    // Errors either way: a failing source fails the upload, a failed upload cancels the source.
    source.once('error', (error) => {
      this.sourceError = error;
      watch.destroy(error);
    });
    watch.once('close', () => {
      if (!source.destroyed) source.destroy();
    });
    return source.pipe(watch);
  }

  private moved(done: boolean): void {
    this.lastMoved = Date.now();
    if (done) this.bodyDone = true;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = Date.now() - this.lastMoved;
      if (idle < this.idleMs) return this.arm(this.idleMs - idle);
      this.fired = this.bodyDone ? 'no-answer' : 'stalled';
      this.controller.abort(new DOMException('stalled', 'TimeoutError'));
    }, ms);
  }
}
