import { createHash } from 'node:crypto';
import type { Clock } from '../util/clock.js';

/** What a whole source came to: a hex digest per algorithm asked for, and its length in bytes. */
export interface SourceDigests {
  digests: Record<string, string>;
  size: number;
}

/** A stream with every chunk hashed on its way, and the digests once it has been read to its end. */
export interface Digesting {
  stream: ReadableStream<Uint8Array>;
  /** The digests of every byte that passed (call it once the stream has ended). */
  result(): SourceDigests;
}

/**
 * The stream as it is, each chunk hashed with each of `algos` as it passes (no copy). One pass of the bytes
 * gives both the definition's digest and the one Glance stores (os_hash_algo).
 */
export function digesting(stream: ReadableStream<Uint8Array>, algos: readonly string[]): Digesting {
  const hashes = [...new Set(algos)].map((algo) => [algo, createHash(algo)] as const);
  let size = 0;
  const passed = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        for (const [, hash] of hashes) hash.update(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  return {
    stream: passed,
    result: () => ({ digests: Object.fromEntries(hashes.map(([algo, hash]) => [algo, hash.digest('hex')])), size }),
  };
}

/** A read of a source that stopped moving, or was called off. */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
}

/** How `hashToEnd` reads: what it hashes with, how long the source may stall, what stops it. */
export interface HashOptions {
  algos: readonly string[];
  /** The read fails when no byte came for this long (the timer is not reset for every chunk). */
  stallMs: number;
  clock: Clock;
  /** Aborting it calls the read off. */
  signal?: AbortSignal;
  /**
   * Called once with the first `bytes` bytes (all of a shorter source) before any byte is hashed: the format
   * check. What it throws ends the read, the source cancelled.
   */
  head?: { bytes: number; check(head: Uint8Array): void };
}

/**
 * Reads a stream to its end in one loop, each chunk hashed with each of `algos` and let go: memory stays flat,
 * and no stream is stacked on the source for it (a pass-through stream per chunk costs more than the hashing).
 * Fails when no byte came for `stallMs` or `signal` aborts; the source is cancelled then.
 */
export async function hashToEnd(stream: ReadableStream<Uint8Array>, options: HashOptions): Promise<SourceDigests> {
  const { clock, stallMs, signal } = options;
  const reader = stream.getReader();
  const hashes = [...new Set(options.algos)].map((algo) => [algo, createHash(algo)] as const);
  const hash = (chunk: Uint8Array) => {
    for (const [, each] of hashes) each.update(chunk);
  };
  let stopped: Error | undefined;
  const stop = (error: Error) => {
    stopped ??= error;
    // A pending read ends (done) once the source is cancelled; the loop then throws `stopped`.
    reader.cancel(error).catch(() => undefined);
  };
  let last = clock.now();
  let cancelTimer = () => {};
  const arm = (ms: number) => {
    cancelTimer = clock.setTimer(ms, () => {
      const idle = clock.now() - last;
      if (idle >= stallMs) stop(new SourceReadError(`no data came for ${Math.round(stallMs / 1000)} s`));
      else arm(stallMs - idle);
    });
  };
  const abort = () => stop(new SourceReadError('the read was called off'));
  arm(stallMs);
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();
  const head = options.head && new HeadCheck(options.head.bytes, options.head.check);
  let size = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (stopped) throw stopped;
      if (next.done) break;
      last = clock.now();
      size += next.value.byteLength;
      if (head?.pending) head.take(next.value, hash);
      else hash(next.value);
    }
    head?.end(hash);
    return { digests: Object.fromEntries(hashes.map(([algo, each]) => [algo, each.digest('hex')])), size };
  } catch (error) {
    stop(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    cancelTimer();
    signal?.removeEventListener('abort', abort);
  }
}

/** The first bytes of a read, held back until they are enough for the check, then checked and passed on. */
class HeadCheck {
  private chunks: Uint8Array[] = [];
  private length = 0;
  pending = true;

  constructor(
    private readonly bytes: number,
    private readonly check: (head: Uint8Array) => void,
  ) {}

  take(chunk: Uint8Array, pass: (chunk: Uint8Array) => void): void {
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
    if (this.length >= this.bytes) this.end(pass);
  }

  /** Checks what came (all of it, when the source was shorter) and passes it on; once. */
  end(pass: (chunk: Uint8Array) => void): void {
    if (!this.pending) return;
    this.pending = false;
    this.check(Buffer.concat(this.chunks, Math.min(this.length, this.bytes)));
    for (const chunk of this.chunks) pass(chunk);
    this.chunks = [];
  }
}
