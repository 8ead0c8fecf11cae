/** A zstd stream that is cut short or followed by bytes that are no frame: Node's decoder ends quietly on both. */
export class ZstdFramingError extends Error {
  override readonly name = 'ZstdFramingError';
}

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC = 0x184d2a50; // the low 4 bits are free
const DICT_ID_BYTES = [0, 1, 2, 4];
const CONTENT_SIZE_BYTES = [0, 2, 4, 8];

type Step = 'magic' | 'skippable-size' | 'frame-header' | 'block-header';

/**
 * The compressed bytes as they are, their frames walked on the way (RFC 8878, section 3.1: frame and block
 * headers only, nothing is decoded): the stream must end exactly after a whole frame, and everything in it must
 * be a zstd frame or a skippable one.
 */
export function zstdFramesChecked(): TransformStream<Uint8Array, Uint8Array> {
  let step: Step = 'magic';
  let header: number[] = [];
  let skip = 0; // bytes to pass over before the next header
  let frames = 0;
  let checksumFlag = false;
  const need = (): number => (step === 'frame-header' ? frameHeaderLength(header) : step === 'block-header' ? 3 : 4);
  const finishHeader = (): void => {
    const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = header;
    const word = (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
    header = [];
    if (step === 'magic') {
      if (word === FRAME_MAGIC) step = 'frame-header';
      else if ((word & 0xfffffff0) >>> 0 === SKIPPABLE_MAGIC) step = 'skippable-size';
      else throw new ZstdFramingError(frames === 0 ? 'not a zstd stream' : 'bytes after the last zstd frame');
      return;
    }
    if (step === 'skippable-size') {
      [skip, step] = [word, 'magic'];
      return;
    }
    if (step === 'frame-header') {
      step = 'block-header';
      return;
    }
    const type = (word >> 1) & 3;
    if (type === 3) throw new ZstdFramingError('a zstd block of the reserved type (corrupt)');
    skip = type === 1 ? 1 : word >>> 3;
    if ((word & 1) === 0) return;
    if (checksumFlag) skip += 4;
    [step, frames] = ['magic', frames + 1];
  };
  return new TransformStream({
    transform(chunk, controller) {
      let at = 0;
      while (at < chunk.length) {
        if (skip > 0) {
          const passed = Math.min(skip, chunk.length - at);
          [skip, at] = [skip - passed, at + passed];
          continue;
        }
        header.push(chunk[at++] ?? 0);
        if (step === 'frame-header' && header.length === 1) checksumFlag = ((header[0] ?? 0) & 4) !== 0;
        if (header.length === need()) finishHeader();
      }
      controller.enqueue(chunk);
    },
    flush() {
      if (frames === 0 || step !== 'magic' || header.length > 0 || skip > 0) {
        throw new ZstdFramingError('the zstd stream ends in the middle of a frame (cut short)');
      }
    },
  });
}

/** The length of a frame header, its descriptor byte first (2 to 14 bytes). */
function frameHeaderLength(header: readonly number[]): number {
  const descriptor = header[0] ?? 0;
  const singleSegment = (descriptor & 0x20) !== 0;
  const contentSizeFlag = descriptor >> 6;
  const contentSize = contentSizeFlag === 0 && singleSegment ? 1 : (CONTENT_SIZE_BYTES[contentSizeFlag] ?? 0);
  return 1 + (singleSegment ? 0 : 1) + (DICT_ID_BYTES[descriptor & 3] ?? 0) + contentSize;
}
