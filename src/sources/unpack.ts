import { maskUserinfo } from '../net/redact.js';
import { decompressed } from './decompress.js';
import type { Packing } from './packing.js';
import { tarMember } from './tar-member.js';

/** What a packed source may unpack to by default: larger than any cloud image, far below a bomb's exabytes. */
export const DEFAULT_MAX_UNPACKED_BYTES = 64 * 2 ** 30;

/** A packed source that could not be unpacked into one image: corrupt, cut short, too large, no single member. */
export class SourceUnpackError extends Error {
  override readonly name = 'SourceUnpackError';
}

export interface UnpackOptions {
  /** The declared disk format: it chooses the member of an archive (tar-member.ts). */
  format: string;
  /** More bytes than this out of the decoder error the stream (a decompression bomb). */
  maxBytes: number;
}

/**
 * The image inside a packed source, as a stream read on demand (the reusable step: decoder, size bound, archive
 * member). Any fault of the packed bytes errors it with a SourceUnpackError that names the URL; `fault()` is that
 * error once it happened, so a reader of the stream (an upload) can tell it from its own failures.
 */
export async function unpacked(
  stream: ReadableStream<Uint8Array>,
  url: string,
  packing: Packing,
  options: UnpackOptions,
): Promise<{ stream: ReadableStream<Uint8Array>; fault: () => SourceUnpackError | undefined }> {
  let data = packing.codec ? await decompressed(stream, packing.codec) : stream;
  data = data.pipeThrough(bounded(options.maxBytes));
  if (packing.tar) data = tarMember(data, options.format);
  let fault: SourceUnpackError | undefined;
  const reader = data.getReader();
  const named = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        fault = new SourceUnpackError(`unpacking ${maskUserinfo(url)} (${packing.suffix}) failed: ${why}`);
        controller.error(fault);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { stream: named, fault: () => fault };
}

function bounded(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        const limit = `${+(maxBytes / 2 ** 30).toFixed(3)} GiB`;
        throw new Error(`it decompresses to more than ${limit} (--max-unpacked-size): refused as a decompression bomb`);
      }
      controller.enqueue(chunk);
    },
  });
}
