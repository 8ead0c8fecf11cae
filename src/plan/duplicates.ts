import { identityName } from '../definitions/publishes.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { VersionSlot } from './inventory.js';
import { duplicateName } from '../definitions/names.js';
import { type Ranking, retentionOf } from './retention.js';
import { deletion, desiredFor, fitted, retiredOptions } from './target-state.js';
import type { Deleted, Kept } from './targets.js';
import type { DesiredImage, PlanOptions } from './types.js';

/**
 * Rule 11: a usable image beside the one kept of its version is retired as an outdated version is: renamed
 * apart (with the identity properties, so that the next run knows it), oldgeneric, hidden, deactivated or
 * deleted by the flags and the retention of its version. It never waits for a rotation: it holds no role.
 * `arrivals`: some version arrives in this run, so a deactivation past retention waits for it.
 */
export function retireDuplicate(
  def: ImageDefinition,
  slot: VersionSlot,
  image: GlanceImage,
  { ranking, arrivals }: { ranking: Ranking; arrivals: boolean },
  options: PlanOptions,
): Kept | Deleted {
  const keeper = slot.image as GlanceImage;
  const retention = retentionOf(def, slot, image, ranking, options);
  const ids = slot.duplicates.map((other) => other.id);
  const desiredWith = (opts: PlanOptions, deactivated: boolean): DesiredImage => {
    const desired = desiredFor(def, { ...slot, image }, 'outdated', opts, { hidden: true, deactivated, found: image });
    const identity = { image_name: identityName(def), internal_version: slot.version };
    const name = duplicateName(def, slot.version, image.id, ids);
    return { ...desired, name, properties: { ...identity, ...desired.properties } };
  };
  if (retention.deleting) {
    const fallback = desiredWith(retiredOptions(options), true);
    return { ...deletion(slot, image, retention.reason, fallback), duplicateOf: keeper };
  }
  const desired = desiredWith(options, retention.past);
  const waits = retention.past && arrivals ? { waits: 'retention' as const } : {};
  return {
    fate: 'keep',
    slot,
    image,
    role: 'outdated',
    ...fitted(desired, image),
    reason: retention.reason,
    ...waits,
    duplicateOf: keeper,
  };
}
