import type { Checksum } from '../../definitions/types.js';
import type { GlanceImage } from '../../openstack/image.js';
import type { SourceDigests } from '../../sources/read-through.js';
import type { Verification } from '../../definitions/verification-record.js';
import { ImportFailure } from './outcome.js';

/** Glance's `hashing_algorithm` unless the run saw another on its images (os_hash_algo). */
export const GLANCE_HASH_ALGO = 'sha512';

/** The algorithms one read of a source hashes with: the definition's checksum's and the one Glance stores. */
export function algosFor(checksum: Checksum | undefined, glanceAlgo: string): string[] {
  return [...new Set([...(checksum ? [checksum.algo] : []), glanceAlgo])];
}

/** Fails when the source's digest is not the definition's checksum: the data is not what was published. */
export function checkSource(name: string, checksum: Checksum | undefined, read: SourceDigests): void {
  if (!checksum) return;
  const got = read.digests[checksum.algo];
  if (got !== checksum.hex.toLowerCase()) {
    throw new ImportFailure(
      `checksum mismatch for ${name}: the source's ${checksum.algo} is ${got}, the definition expects ` +
        `${checksum.hex}; not published`,
    );
  }
}

/**
 * How far an active image is verified, from what the tool read of its source (format checked, digests):
 * the source against the definition's checksum (`checkSource`), then Glance's stored hash (os_hash_value)
 * against the tool's digest of the same bytes. Glance holding other bytes fails, unless it converted the
 * image (its disk_format is no longer the declared one): its hash is then of the converted data, not compared.
 * `sent`: the bytes read are the ones this run sent Glance, else Glance converted a copy of its own.
 */
export function verdict(
  image: GlanceImage,
  declared: string | undefined,
  checksum: Checksum | undefined,
  read: SourceDigests,
  sent = false,
): Verification {
  const name = image.name ?? image.id;
  checkSource(name, checksum, read);
  const glance = glanceLink(image, declared, read, sent);
  if (!checksum) {
    return { state: 'not-verifiable', detail: `no checksum in the definition; format checked; ${glance.detail}` };
  }
  const source = `source ${checksum.algo} = the definition's`;
  if (glance.same) return { state: 'verified', detail: `${source}; ${glance.detail}` };
  return { state: 'source-verified', detail: `${source}; not end to end: ${glance.detail}` };
}

function glanceLink(image: GlanceImage, declared: string | undefined, read: SourceDigests, sent: boolean) {
  const algo = image.os_hash_algo;
  const stored = image.os_hash_value?.toLowerCase();
  if (!algo || !stored) return { same: false, detail: 'Glance stored no hash' };
  const ours = read.digests[algo];
  if (ours === undefined) return { same: false, detail: `Glance stores ${algo}, which the tool did not compute` };
  if (ours === stored) return { same: true, detail: `Glance's ${algo} = the source's` };
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
