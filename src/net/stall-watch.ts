import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { Clock } from '../util/clock.js';
import type { StreamBody } from './upload.js';

/**
 * A timeout for a streamed request that measures stalls, not the whole transfer: it fires when no byte of
 * the body moved for `idleMs` (the source stalled, or the server stopped reading), or when the server has
 * not answered `idleMs` after the last byte. Every chunk passed on counts as movement; the timer is not reset
 * for each (tens of thousands a GiB): when it fires early, it waits again for what is left of `idleMs`.
 */
export class StallWatch {
  private readonly controller = new AbortController();
  private cancelTimer?: () => void;
  private lastMoved: number;
  /** Why it fired: the body stalled, or the answer did not come; undefined while it has not fired. */
  fired?: 'stalled' | 'no-answer';
  /** The error of the body's source (the image server, the file), when reading it failed. */
  sourceError?: unknown;
  private bodyDone = false;

  constructor(
    private readonly idleMs: number,
    private readonly clock: Clock,
  ) {
    this.lastMoved = clock.now();
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
    this.cancelTimer?.();
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
    this.lastMoved = this.clock.now();
    if (done) this.bodyDone = true;
  }

  private arm(ms: number): void {
    this.cancelTimer = this.clock.setTimer(ms, () => {
      const idle = this.clock.now() - this.lastMoved;
      if (idle < this.idleMs) return this.arm(this.idleMs - idle);
      this.fired = this.bodyDone ? 'no-answer' : 'stalled';
      this.controller.abort(new DOMException('stalled', 'TimeoutError'));
    });
  }
}
