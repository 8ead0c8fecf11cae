import { Duplex } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { bunzip2 } from './bzip2.js';
import type { Codec } from './packing.js';
import { zstdFramesChecked } from './zstd-frames.js';

/** What one step of Node's zlib decoders hands on: larger pieces cost less on the way to the socket. */
const ZLIB_CHUNK = 2 ** 18;

/**
 * The stream decoded with `codec`, on demand (backpressure both ways, memory flat): gzip and zstd by Node's
 * zlib, xz by xz-decompress (XZ Embedded in WebAssembly), bzip2 by libbz2 (bzip2.ts). A stream that is cut
 * short, corrupt or followed by other bytes errors the result.
 */
export async function decompressed(
  stream: ReadableStream<Uint8Array>,
  codec: Codec,
): Promise<ReadableStream<Uint8Array>> {
  switch (codec) {
    case 'gz':
      return stream.pipeThrough(zlibStep(createGunzip({ chunkSize: ZLIB_CHUNK })));
    case 'zst': {
      const decoder = createZstdDecompress({ chunkSize: ZLIB_CHUNK });
      return stream.pipeThrough(zstdFramesChecked()).pipeThrough(zlibStep(decoder));
    }
    case 'xz': {
      // Loaded when a source needs it (a CommonJS bundle: its class is a property of the module's default).
      const { default: xz } = await import('xz-decompress');
      return new xz.XzReadableStream(stream);
    }
    case 'bz2':
      return bunzip2(stream);
  }
}

function zlibStep(decoder: Duplex): ReadableWritablePair<Uint8Array, Uint8Array> {
  return Duplex.toWeb(decoder) as ReadableWritablePair<Uint8Array, Uint8Array>;
}
