import { createHash } from 'node:crypto';
import type { Clock } from '../util/clock.js';

/** What a whole source came to: a hex digest per algorithm asked for, and its length in bytes. */
export interface SourceDigests {
  digests: Record<string, string>;
  size: number;
  /**
   * A packed source (packing.ts): the digests and length of the bytes as published, which its checksum is of,
   * and how it was packed (`.xz`); `digests` and `size` are then of the image unpacked from it.
   */
  packed?: { digests: Record<string, string>; size: number; suffix: string };
}

/**
 * The algorithms a read hashes with: `source`, of the bytes as published (the definition's checksum), and
 * `image`, of the image Glance gets (its os_hash_algo). The same bytes unless the source is packed.
 */
export interface HashPlan {
  source: readonly string[];
  image: readonly string[];
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

/**
 * Reads a stream to its end and lets the bytes go (what they are for is counted on the way, see `digesting`):
 * memory stays flat. Fails when no byte came for `stallMs` (the timer is not reset for every chunk: when it
 * fires early it waits again for what is left), or when `signal` aborts; the source is cancelled then.
 */
export async function drain(
  stream: ReadableStream<Uint8Array>,
  stallMs: number,
  clock: Clock,
  signal?: AbortSignal,
): Promise<void> {
  const reader = stream.getReader();
  let last = clock.now();
  let cancelTimer = () => {};
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = reject;
  });
  stopped.catch(() => undefined);
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
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stopped]);
      if (next.done) return;
      last = clock.now();
    }
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    cancelTimer();
    signal?.removeEventListener('abort', abort);
  }
}
