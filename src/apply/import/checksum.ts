import type { Logger } from 'pino';
import type { Checksum } from '../../definitions/types.js';
import type { GlanceImage } from '../../openstack/image.js';
import { ImportFailure, type ImportOutcome } from './outcome.js';

/**
 * The outcome of an import that is active: its checksum verified against what Glance stored, or, when Glance
 * stores no hash of the definition's algorithm, against the digest of the data streamed through this tool
 * (`streamedAndChecked`); unverifiable without either. A mismatch fails the import.
 */
export function checkedActive(
  log: Logger,
  image: GlanceImage,
  checksum: Checksum | undefined,
  streamedAndChecked: boolean,
): ImportOutcome {
  if (!checksum) return { state: 'active', image, checksum: 'none' };
  const stored = storedDigest(image, checksum.algo);
  if (stored === undefined) {
    if (!streamedAndChecked) {
      log.warn(
        `Checksum of ${image.name} not verified: Glance stores ${image.os_hash_algo ?? 'no'} hash, ` +
          `the definition gives ${checksum.algo}`,
      );
    }
    return { state: 'active', image, checksum: streamedAndChecked ? 'verified' : 'unverifiable' };
  }
  if (stored !== checksum.hex.toLowerCase()) {
    throw new ImportFailure(
      `checksum mismatch for ${image.name}: Glance stored ${checksum.algo} ${stored}, ` +
        `the definition expects ${checksum.hex}`,
    );
  }
  log.info(`Verified ${checksum.algo} checksum of ${image.name}`);
  return { state: 'active', image, checksum: 'verified' };
}

/** Fails before the import when the digest of the data streamed does not match the definition's checksum. */
export function checkStreamed(image: GlanceImage, checksum: Checksum | undefined, digest: string | undefined): void {
  if (checksum && digest !== checksum.hex.toLowerCase()) {
    throw new ImportFailure(
      `checksum mismatch for ${image.name}: ${checksum.algo} is ${digest}, expected ${checksum.hex}`,
    );
  }
}

/** The digest Glance stored for the algorithm, when it stored one: os_hash_value, or the md5 `checksum`. */
function storedDigest(image: GlanceImage, algo: string): string | undefined {
  if (image.os_hash_algo === algo && image.os_hash_value) return image.os_hash_value.toLowerCase();
  if (algo === 'md5' && image.checksum) return image.checksum.toLowerCase();
  return undefined;
}
