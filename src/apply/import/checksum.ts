import type { Checksum } from '../../definitions/types.js';
import type { GlanceImage } from '../../openstack/image.js';
import type { HashPlan, SourceDigests } from '../../sources/read-through.js';
import type { Verification } from '../../definitions/verification-record.js';
import { ImportFailure } from './outcome.js';

/** Glance's `hashing_algorithm` unless the run saw another on its images (os_hash_algo). */
export const GLANCE_HASH_ALGO = 'sha512';

/** What a read hashes: the bytes as published with the definition's algorithm, the image with Glance's. */
export function hashPlanFor({ checksum }: Expected, glanceAlgo: string): HashPlan {
  return { source: checksum ? [checksum.algo] : [], image: [glanceAlgo] };
}

/**
 * What a source is verified against: the definition's `checksum` (of the bytes as published), or, for a mirror
 * holding the image unpacked from a packed url, its `mirror_checksum`.
 */
export interface Expected {
  checksum?: Checksum;
  key: 'checksum' | 'mirror_checksum';
}

/** The checksum the source read (a job's) is verified against. */
export function expectedOf(source: { checksum?: Checksum; mirrorChecksum?: Checksum }): Expected {
  if (source.mirrorChecksum) return { checksum: source.mirrorChecksum, key: 'mirror_checksum' };
  return { ...(source.checksum ? { checksum: source.checksum } : {}), key: 'checksum' };
}

/**
 * Fails when the source's digest is not the expected checksum: the data is not what was published (or what the
 * mirror was filled with). Of a packed source the checksum is of the bytes as published (the .xz), as upstreams
 * publish it.
 */
export function checkSource(name: string, { checksum, key }: Expected, read: SourceDigests): void {
  if (!checksum) return;
  const got = (read.packed ?? read).digests[checksum.algo];
  if (got !== checksum.hex.toLowerCase()) {
    const whose = read.packed ? `the ${read.packed.suffix}'s` : "the source's";
    const wanted = key === 'mirror_checksum' ? "the definition's mirror_checksum is" : 'the definition expects';
    throw new ImportFailure(
      `checksum mismatch for ${name}: ${whose} ${checksum.algo} is ${got}, ${wanted} ${checksum.hex}; not published`,
    );
  }
}

/**
 * How far an active image is verified, from what the tool read of its source (format checked, digests):
 * the source against the expected checksum (`checkSource`), then Glance's stored hash (os_hash_value)
 * against the tool's digest of the same bytes. Glance holding other bytes fails, unless it converted the
 * image (its disk_format is no longer the declared one): its hash is then of the converted data, not compared.
 * `sent`: the bytes read are the ones this run sent Glance, else Glance converted a copy of its own.
 */
export function verdict(
  image: GlanceImage,
  declared: string | undefined,
  expected: Expected,
  read: SourceDigests,
  sent = false,
): Verification {
  const name = image.name ?? image.id;
  checkSource(name, expected, read);
  const glance = glanceLink(image, declared, read, sent);
  const { checksum } = expected;
  if (!checksum) {
    return { state: 'not-verifiable', detail: `no checksum in the definition; format checked; ${glance.detail}` };
  }
  const source = sourceLink(checksum.algo, expected.key, read);
  if (glance.same) return { state: 'verified', detail: `${source}; ${glance.detail}` };
  return { state: 'source-verified', detail: `${source}; not end to end: ${glance.detail}` };
}

function sourceLink(algo: string, key: Expected['key'], read: SourceDigests): string {
  if (key === 'mirror_checksum') {
    const what = read.packed ? `the mirror's ${read.packed.suffix}` : 'the unpacked image';
    return `${algo} of ${what} = the definition's mirror_checksum`;
  }
  if (read.packed) return `upstream ${algo} of the ${read.packed.suffix} = the definition's`;
  return `source ${algo} = the definition's`;
}

function glanceLink(image: GlanceImage, declared: string | undefined, read: SourceDigests, sent: boolean) {
  const algo = image.os_hash_algo;
  const stored = image.os_hash_value?.toLowerCase();
  if (!algo || !stored) return { same: false, detail: 'Glance stored no hash' };
  const ours = read.digests[algo];
  if (ours === undefined) return { same: false, detail: `Glance stores ${algo}, which the tool did not compute` };
  if (ours === stored) return { same: true, detail: `Glance's ${algo} = ${sentBytes(read)}` };
  if (declared !== undefined && image.disk_format !== declared) {
    const what = sent ? 'the bytes the tool sent' : 'its own copy of the source';
    const to = image.disk_format;
    return { same: false, detail: `Glance converted ${what} to ${to}; its ${algo} is of the ${to} data, not compared` };
  }
  throw new ImportFailure(
    `Glance holds other data than the source for ${image.name}: its ${algo} is ${stored}, the source's ${ours}; ` +
      'not published',
  );
}

/** What Glance's hash was compared with: the source's bytes, or the image the tool unpacked from a packed one. */
function sentBytes(read: SourceDigests): string {
  if (!read.packed) return "the source's";
  return read.packed.suffix.startsWith('.tar')
    ? 'the member the tool unpacked and sent'
    : 'the decompressed bytes the tool sent';
}
