import { imageName } from '../definitions/publishes.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { desiredForUndefinedVersion, desiredForVersion, type OutdatedState, type Role } from './desired.js';
import { requiredMinDisk } from './diff.js';
import type { VersionSlot } from './inventory.js';
import type { Deleted, Kept } from './targets.js';
import type { DesiredImage, PlanOptions, RetentionReason } from './types.js';

// The state a target reaches, shared by a version's own image and its duplicates.

export function desiredFor(
  def: ImageDefinition,
  slot: VersionSlot,
  role: Role,
  options: PlanOptions,
  outdated: OutdatedState,
): DesiredImage {
  if (slot.defined) return desiredForVersion(def, slot.defined, role, options, outdated);
  const name = slot.image?.name ?? imageName(def, slot.version, false);
  return desiredForUndefinedVersion(def, slot.version, name, slot.image?.os_purpose, options, outdated);
}

/** Should Glance refuse the delete (the image is in use), it is retired as far as it can be instead. */
export function deletion(
  slot: VersionSlot,
  image: GlanceImage,
  reason: RetentionReason,
  retired: DesiredImage,
): Deleted {
  return { fate: 'delete', slot, image, reason, fallback: fitted(retired, image).desired };
}

/** The options an image is retired with when Glance refuses its delete: hidden and deactivated. */
export function retiredOptions(options: PlanOptions): PlanOptions {
  return { ...options, hide: true, deactivate: true };
}

/** Rule 4: min_disk never below what the stored image needs. */
export function fitted(desired: DesiredImage, image: GlanceImage): Pick<Kept, 'desired' | 'minDiskRaised'> {
  if (desired.min_disk === undefined) return { desired };
  const needed = requiredMinDisk(image);
  if (needed <= desired.min_disk) return { desired };
  return { desired: { ...desired, min_disk: needed }, minDiskRaised: { from: desired.min_disk, to: needed } };
}
