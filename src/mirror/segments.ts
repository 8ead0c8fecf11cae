import type { Clock } from '../util/clock.js';

/**
 * Cuts a stream into consecutive pieces of at most `limit` bytes, read on demand (memory stays flat): each as
 * a stream of its own (`segment`, for a chunked upload) or as one buffer (`part`, for an upload that needs its
 * length). A chunk that crosses a boundary is split without a copy.
 */
export class Segmenter {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private held: Uint8Array | undefined;
  private done = false;
  /** Bytes of the last piece handed out, once it has been read to its end. */
  lastSize = 0;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly limit: number,
  ) {
    this.reader = stream.getReader();
  }

  /** Whether any byte is left. */
  async more(): Promise<boolean> {
    while (!this.held && !this.done) {
      const next = await this.reader.read();
      if (next.done) this.done = true;
      else if (next.value.byteLength > 0) this.held = next.value;
    }
    return this.held !== undefined;
  }

  /** The next piece as a stream; read it to its end before asking for another. */
  segment(): ReadableStream<Uint8Array> {
    let left = this.limit;
    this.lastSize = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (left === 0 || !(await this.more())) return controller.close();
        const chunk = this.take(left);
        left -= chunk.byteLength;
        this.lastSize += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel: (reason) => this.cancel(reason),
    });
  }

  /** The next piece in one buffer. */
  async part(): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    let length = 0;
    while (length < this.limit && (await this.more())) {
      const chunk = this.take(this.limit - length);
      chunks.push(chunk);
      length += chunk.byteLength;
    }
    this.lastSize = length;
    return Buffer.concat(chunks, length);
  }

  cancel(reason?: unknown): Promise<void> {
    return this.reader.cancel(reason).catch(() => undefined);
  }

  private take(max: number): Uint8Array {
    const chunk = this.held as Uint8Array;
    if (chunk.byteLength <= max) {
      this.held = undefined;
      return chunk;
    }
    this.held = chunk.subarray(max);
    return chunk.subarray(0, max);
  }
}

/**
 * The stream as it is, failing with a message when the source sends nothing for `stallMs` while its reader
 * waits (a reader that holds back, a slow store, does not count).
 */
export function stallGuard(
  stream: ReadableStream<Uint8Array>,
  what: string,
  stallMs: number,
  clock: Clock,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let cancel = () => {};
      const stalled = new Promise<never>((_, reject) => {
        cancel = clock.setTimer(stallMs, () =>
          reject(new Error(`${what}: no data came for ${Math.round(stallMs / 1000)} s`)),
        );
      });
      const { promise: stopped, forget } = interruption(what, signal);
      try {
        const next = await Promise.race([reader.read(), stalled, stopped]);
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        reader.cancel(error).catch(() => undefined);
        throw error;
      } finally {
        cancel();
        forget();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** A promise that fails, naming `what`, when the signal is aborted (the run was interrupted); never otherwise. */
function interruption(what: string, signal: AbortSignal | undefined): { promise: Promise<never>; forget(): void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), forget: () => undefined };
  let forget = () => {};
  const promise = new Promise<never>((_, reject) => {
    const stop = () => reject(new Error(`${what}: interrupted (${String(signal.reason)})`));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    forget = () => signal.removeEventListener('abort', stop);
  });
  return { promise, forget };
}

/** The promise, or a failure naming `what` when it has not settled after `stallMs`. */
export async function inTime<T>(promise: Promise<T>, what: string, stallMs: number, clock: Clock): Promise<T> {
  let cancel = () => {};
  const late = new Promise<never>((_, reject) => {
    cancel = clock.setTimer(stallMs, () =>
      reject(new Error(`${what}: no data came for ${Math.round(stallMs / 1000)} s`)),
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    cancel();
  }
}
