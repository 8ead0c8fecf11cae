import type { SourceDigests } from '../sources/read-through.js';
import type { SourceReader } from '../sources/source.js';
import type { Clock } from '../util/clock.js';
import { inTime, stallGuard } from './segments.js';
import { CHECKSUM_KEY, MARKER_KEY, MARKER_VALUE, type ObjectStore, objectUrl } from './store.js';
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
export async function mirrorOne(target: MirrorTarget, options: CopyOptions): Promise<MirrorOutcome> {
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
    if (found?.checksum === want) return { ...base, action: 'present' };
    const again = found !== undefined;
    const reason = again ? `its checksum is ${found.checksum ?? 'unknown'}, the definition's ${want}` : undefined;
    if (again) options.warn(`${store.where}, object ${target.object}: ${reason}: copying it again`);
    if (options.dryRun) return { ...base, action: again ? 'would-recopy' : 'would-copy', ...(reason && { reason }) };
    const size = await copy(target, target.checksum, want, options);
    return { ...base, action: again ? 'recopied' : 'copied', size, ...(reason && { reason }) };
  } catch (error) {
    return { ...base, action: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

async function copy(
  target: MirrorTarget,
  checksum: { algo: string; hex: string },
  want: string,
  options: CopyOptions,
): Promise<number> {
  const { algo } = checksum;
  // The format check reads the first bytes before the stream is handed out: a source stalling there fails too.
  const opening = options.reader.open(target.url, { format: target.format, hash: { source: [algo], image: [] } });
  const source = await inTime(opening, target.url, options.stallMs, options.clock);
  let size = 0;
  const verify = () => {
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
  };
  const metadata = { [MARKER_KEY]: MARKER_VALUE, [CHECKSUM_KEY]: want };
  const stream = stallGuard(source.stream, target.url, options.stallMs, options.clock);
  await options.store.upload(target.object, stream, { metadata, segmentBytes: options.segmentBytes, verify });
  return size;
}

async function mirrorUrlOf(object: string, options: CopyOptions): Promise<string> {
  if (options.mirrorBase === undefined) return options.store.urlOf(object);
  return objectUrl(options.mirrorBase, object);
}
