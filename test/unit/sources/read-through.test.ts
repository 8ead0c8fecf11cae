import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { hashToEnd, SourceReadError } from '../../../src/sources/read-through.js';
import { SNIFF_BYTES } from '../../../src/sources/format.js';
import { SourceFormatError, SourceReader } from '../../../src/sources/source.js';
import { FakeClock, turns, until } from '../net/fake-clock.js';
import { testFetch, useMsw } from '../openstack/helpers.js';
import * as h from './headers.js';

const { server } = useMsw();

/** A source that hands out `data` in pieces of the given sizes (the last repeated), counting its pulls. */
function pieces(data: Uint8Array, sizes: number[]) {
  const state = { pulls: 0, cancelled: undefined as unknown };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (offset >= data.length) return controller.close();
      const size = sizes[Math.min(state.pulls - 1, sizes.length - 1)] ?? 1;
      controller.enqueue(data.slice(offset, offset + size));
      offset += size;
    },
    cancel(reason) {
      state.cancelled = reason;
    },
  });
  return { stream, state };
}

/** A source that sends `first` and then nothing, ever. */
function stalling(first: Uint8Array) {
  const state = { cancelled: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
    },
    pull: () => new Promise<void>(() => {}),
    cancel(reason) {
      state.cancelled = reason;
    },
  });
  return { stream, state };
}

const hex = (algo: string, data: Uint8Array) => createHash(algo).update(data).digest('hex');

function bytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
}

describe('hashToEnd: one loop over the source checks its head, hashes it and watches for a stall', () => {
  it('hashes every byte once with each algorithm, in uneven pieces, and hands the check exactly the first bytes', async () => {
    const data = bytes(3 * SNIFF_BYTES + 5);
    const { stream } = pieces(data, [10, 7000, 1, 40_000, 3, 65_536]);
    const heads: Uint8Array[] = [];
    const result = await hashToEnd(stream, {
      algos: ['sha256', 'sha512', 'sha256'],
      stallMs: 30_000,
      clock: new FakeClock(),
      head: { bytes: SNIFF_BYTES, check: (head) => void heads.push(head.slice()) },
    });
    expect(result).toEqual({
      digests: { sha256: hex('sha256', data), sha512: hex('sha512', data) },
      size: data.length,
    });
    expect(heads).toHaveLength(1);
    expect(Buffer.from(heads[0] ?? []).equals(Buffer.from(data.subarray(0, SNIFF_BYTES)))).toBe(true);
  });

  it('checks a source shorter than the head whole, once, and an empty one as empty', async () => {
    for (const data of [bytes(100), new Uint8Array(0)]) {
      const heads: number[] = [];
      const result = await hashToEnd(pieces(data, [7]).stream, {
        algos: ['md5'],
        stallMs: 30_000,
        clock: new FakeClock(),
        head: { bytes: SNIFF_BYTES, check: (head) => void heads.push(head.length) },
      });
      expect(heads).toEqual([data.length]);
      expect(result).toEqual({ digests: { md5: hex('md5', data) }, size: data.length });
    }
  });

  it('a check that throws ends the read with its error: the source is cancelled, not read on', async () => {
    const data = bytes(64 * SNIFF_BYTES);
    const { stream, state } = pieces(data, [SNIFF_BYTES]);
    const refused = new Error('not what it claims');
    const read = hashToEnd(stream, {
      algos: ['sha512'],
      stallMs: 30_000,
      clock: new FakeClock(),
      head: {
        bytes: SNIFF_BYTES,
        check: () => {
          throw refused;
        },
      },
    });
    await expect(read).rejects.toBe(refused);
    expect(state.cancelled).toBe(refused);
    expect(state.pulls).toBeLessThanOrEqual(2);
  });

  it('fails a source that stops sending for stallMs, and cancels it; data that keeps coming does not', async () => {
    const clock = new FakeClock();
    const { stream, state } = stalling(bytes(1000));
    const read = hashToEnd(stream, { algos: ['sha512'], stallMs: 30_000, clock });
    const settled = read.catch((error: unknown) => error);
    await turns(5);
    clock.advance(29_999);
    await turns(5);
    expect(state.cancelled).toBeUndefined();
    clock.advance(1);
    const error = await settled;
    expect(error).toBeInstanceOf(SourceReadError);
    expect((error as Error).message).toBe('no data came for 30 s');
    expect(state.cancelled).toBe(error);
  });

  it('an abort of the signal calls the read off', async () => {
    const { stream, state } = stalling(bytes(10));
    const controller = new AbortController();
    const read = hashToEnd(stream, {
      algos: ['sha512'],
      stallMs: 30_000,
      clock: new FakeClock(),
      signal: controller.signal,
    });
    const settled = read.catch((error: unknown) => error);
    await turns(3);
    controller.abort();
    expect(((await settled) as Error).message).toBe('the read was called off');
    await until(() => state.cancelled !== undefined);
  });
});

describe('SourceReader.digest', () => {
  function serving(data: Uint8Array) {
    server.use(
      http.get('http://images.test/disk.img', () => {
        const { stream } = pieces(data, [1000]);
        return new HttpResponse(stream, { headers: { 'Content-Length': String(data.length) } });
      }),
    );
  }

  it('a source of the declared format, served in small pieces: its digests and size', async () => {
    const data = h.qcow2({ length: 2 * SNIFF_BYTES + 11 });
    data.fill(7, 512);
    serving(data);
    const reader = new SourceReader(testFetch);
    const result = await reader.digest('http://images.test/disk.img', { format: 'qcow2', algos: ['sha256'] });
    expect(result).toEqual({ digests: { sha256: hex('sha256', data) }, size: data.length });
  });

  it('a source of another format: a SourceFormatError naming the URL, the declared and the found format', async () => {
    serving(h.qcow2({ backingFile: true }));
    const reader = new SourceReader(testFetch);
    const read = reader.digest('http://images.test/disk.img', { format: 'qcow2', algos: ['sha512'] });
    const error = await read.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as Error).message).toBe(
      'http://images.test/disk.img: declared qcow2, but the data is qcow2 with a backing file (refused: it refers to other files)',
    );
  });
});

describe('SourceReader.digest keeps memory flat', () => {
  it('lets each piece of the source go once it is hashed: none is held until the read ends', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const PIECE = 64 * 1024;
    const PIECES = 400; // 25 MiB
    const pieces: WeakRef<Uint8Array>[] = [];
    let heldLongAgo = 0;
    let looked = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // A turn of the event loop, as between the pieces of a network read: only then does V8 let go of
        // the targets of WeakRefs made or read in the turn before.
        await new Promise((resolve) => setImmediate(resolve));
        if (pieces.length >= PIECES) return controller.close();
        if (pieces.length >= 100 && pieces.length % 50 === 0) {
          gc();
          // Pieces handed out 20 or more pieces ago have been hashed long since.
          heldLongAgo += pieces.slice(0, -20).filter((piece) => piece.deref() !== undefined).length;
          looked++;
        }
        const piece = new Uint8Array(PIECE).fill(pieces.length & 0xff);
        pieces.push(new WeakRef(piece));
        controller.enqueue(piece);
      },
    });
    const reader = new SourceReader(testFetch, {
      download: async () => ({ status: 200, headers: new Headers(), text: async () => '', body }),
    });
    const result = await reader.digest('http://images.test/disk.img', { format: 'raw', algos: ['sha256'] });
    expect(result.size).toBe(PIECE * PIECES);
    expect(looked).toBe(6);
    expect(heldLongAgo).toBe(0);
  });
});
