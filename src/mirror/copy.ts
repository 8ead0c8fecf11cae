import { mirrorObjectUrl } from '../definitions/mirror-object.js';
import { packingOf } from '../sources/packing.js';
import type { SourceDigests } from '../sources/read-through.js';
import type { SourceReader } from '../sources/source.js';
import type { Clock } from '../util/clock.js';
import { counted } from '../sources/web-stream.js';
import type { MirrorObserver } from './observer.js';
import { inTime, stallGuard } from './segments.js';
import {
  CHECKSUM_KEY,
  IMAGE_SHA256_KEY,
  MARKER_KEY,
  MARKER_VALUE,
  type ObjectStore,
  type StoredObject,
} from './store.js';
import type { MirrorTarget } from './targets.js';

/** What became of one version: copied, already there, (would be) copied again, skipped or failed. */
export type MirrorAction = 'copied' | 'recopied' | 'present' | 'would-copy' | 'would-recopy' | 'skipped' | 'failed';

export interface MirrorOutcome {
  definition: string;
  version: string;
  source: string;
  object: string;
  /** The object's public URL: the mirror_url a definition can name. */
  mirrorUrl: string;
  action: MirrorAction;
  /** Bytes written (copied, recopied). */
  size?: number;
  /**
   * Of a packed source: `sha256:<hex>` of the image the object holds, unpacked (computed while copying, else
   * the object's IMAGE_SHA256_KEY): the version's mirror_checksum.
   */
  mirrorChecksum?: string;
  /** Why it was skipped or failed; why it is copied again. */
  reason?: string;
}

export interface CopyOptions {
  store: ObjectStore;
  reader: SourceReader;
  dryRun: boolean;
  segmentBytes: number;
  /** The public base URL of the objects (`--mirror-base`); default the store's own URL of the object. */
  mirrorBase?: string;
  warn: (message: string) => void;
  /** How long the source may send nothing before the copy fails (--timeout). */
  stallMs: number;
  clock: Clock;
  /** --write-mirror-url: a packed version's mirror_checksum is to be written from what this run computed. */
  recordMirrorChecksum?: boolean;
  /** Aborted when the run is interrupted (SIGINT, SIGTERM): the copy under way fails and cleans up after itself. */
  signal?: AbortSignal;
}

/** A source whose bytes are not what its definition says. */
export class SourceMismatchError extends Error {
  override readonly name = 'SourceMismatchError';
}

/**
 * Mirrors one version: a HEAD first; an object this tool wrote with the same checksum is left as it is; an
 * object someone else wrote is never replaced; otherwise the source is streamed (unpacked on the way) into
 * the store and committed only when the checksum of the bytes as published matches the definition's.
 */
export async function mirrorOne(
  target: MirrorTarget,
  options: CopyOptions,
  observer: Required<MirrorObserver>,
): Promise<MirrorOutcome> {
  const { store } = options;
  const base = {
    definition: target.definition,
    version: target.version,
    source: target.url,
    object: target.object,
    mirrorUrl: await mirrorUrlOf(target.object, options),
  };
  if (target.skip || !target.checksum) return { ...base, action: 'skipped', reason: target.skip ?? 'no checksum' };
  const want = `${target.checksum.algo}:${target.checksum.hex.toLowerCase()}`;
  try {
    const found = await store.head(target.object);
    if (found && !found.ours) {
      const reason = `${store.where}, object ${target.object}: an object this tool did not write is there; left alone`;
      return { ...base, action: 'failed', reason };
    }
    const packed = packingOf(target.url) !== undefined;
    const reason = found && whyAgain(found, want, packed, options.recordMirrorChecksum ? target : undefined);
    if (found && reason === undefined) {
      return { ...base, action: 'present', ...(packed && mirrorChecksumOf(found.imageSha256)) };
    }
    const again = found !== undefined;
    if (again) options.warn(`${store.where}, object ${target.object}: ${reason}: copying it again`);
    if (options.dryRun) return { ...base, action: again ? 'would-recopy' : 'would-copy', ...(reason && { reason }) };
    observer.phase(target, 'reading');
    const expected = { checksum: target.checksum, want, replacing: again };
    const { size, imageSha256 } = await copy(target, expected, options, observer);
    const action = again ? 'recopied' : 'copied';
    return { ...base, action, size, ...(reason && { reason }), ...mirrorChecksumOf(imageSha256) };
  } catch (error) {
    return { ...base, action: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Why an object of ours is copied again: its checksum is not the definition's, or it lacks its image's digest;
 * or, when mirror_checksum is to be written (`recording`), the file's differs from the object's record. That
 * record is never written into a file as it stands: whoever can change a store's metadata would choose what
 * later runs verify the mirror's copy against. Copying again computes the digest from the verified source.
 */
function whyAgain(
  found: StoredObject,
  want: string,
  packed: boolean,
  recording: MirrorTarget | undefined,
): string | undefined {
  if (found.checksum !== want) return `its checksum is ${found.checksum ?? 'unknown'}, the definition's ${want}`;
  if (!packed) return undefined;
  if (!/^[0-9a-f]{64}$/.test(found.imageSha256 ?? ''))
    return `it does not record the sha256 of the image unpacked into it (${IMAGE_SHA256_KEY})`;
  if (recording && recording.mirrorChecksum !== `sha256:${found.imageSha256}`) {
    const held = recording.mirrorChecksum ?? 'none';
    return `the definition's mirror_checksum (${held}) is not the object's; it is computed again from the source`;
  }
  return undefined;
}

function mirrorChecksumOf(imageSha256: string | undefined): { mirrorChecksum?: string } {
  return imageSha256 ? { mirrorChecksum: `sha256:${imageSha256}` } : {};
}

/**
 * Streams the source into the store. Of a packed source the image unpacked from it is hashed (sha256) in the
 * same pass: its digest goes into the object's metadata and the outcome (the version's mirror_checksum).
 */
async function copy(
  target: MirrorTarget,
  { checksum, want, replacing }: { checksum: { algo: string; hex: string }; want: string; replacing: boolean },
  options: CopyOptions,
  observer: Required<MirrorObserver>,
): Promise<{ size: number; imageSha256?: string }> {
  const { algo } = checksum;
  const image = packingOf(target.url) ? ['sha256'] : [];
  // The format check reads the first bytes before the stream is handed out: a source stalling there fails too.
  const opening = options.reader.open(target.url, { format: target.format, hash: { source: [algo], image } });
  const source = await inTime(opening, target.url, options.stallMs, options.clock);
  let size = 0;
  let imageSha256: string | undefined;
  const verify = (): Record<string, string> => {
    observer.phase(target, 'committing');
    const fault = source.fault?.();
    if (fault) throw new SourceMismatchError(`${target.url}: ${fault.message}`);
    const read = (source.digests as () => SourceDigests)();
    const got = read.packed?.digests[algo] ?? read.digests[algo];
    size = read.size;
    if (got !== checksum.hex.toLowerCase()) {
      const what = read.packed ? 'as published' : '';
      throw new SourceMismatchError(
        `${target.url}: its ${algo}${what && ` ${what}`} is ${got}, the definition says ${checksum.hex}`,
      );
    }
    imageSha256 = read.packed ? read.digests.sha256 : undefined;
    return imageSha256 ? { [IMAGE_SHA256_KEY]: imageSha256 } : {};
  };
  const metadata = { [MARKER_KEY]: MARKER_VALUE, [CHECKSUM_KEY]: want };
  const total = source.size;
  const stream = counted(
    stallGuard(source.stream, target.url, options.stallMs, options.clock, options.signal),
    (sent) => observer.bytes(target, sent, total),
  );
  observer.phase(target, 'uploading');
  observer.bytes(target, 0, total);
  const plan = { metadata, segmentBytes: options.segmentBytes, replacing, verify };
  await options.store.upload(target.object, stream, plan);
  return { size, ...(imageSha256 && { imageSha256 }) };
}

/** The URL a version's object is reported by: under --mirror-base, else the store's own. */
export async function mirrorUrlOf(object: string, options: CopyOptions): Promise<string> {
  if (options.mirrorBase === undefined) return options.store.urlOf(object);
  return mirrorObjectUrl(options.mirrorBase, object);
}
