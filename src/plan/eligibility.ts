import type { ImageDefinition } from '../definitions/types.js';
import type { VersionSlot } from './inventory.js';
import type { NotImportedReason, PlanOptions } from './types.js';

/**
 * Rule 2: which missing defined versions are not imported, and why, before retention has its say. `slots` as
 * `inventory` gives them: in build order, oldest first.
 */
export function notImported(
  def: ImageDefinition,
  slots: VersionSlot[],
  options: PlanOptions,
): Map<string, NotImportedReason> {
  const newestDefined = slots.filter((slot) => slot.defined).at(-1)?.version;
  // A plain-named image with no internal_version only has its creation day as a version: no measure of age.
  const newestFound = slots.filter((slot) => slot.image && !slot.dated).at(-1)?.version;
  // In build order: the slots before the newest one found are older.
  const newestFoundAt = newestFound === undefined ? -1 : slots.findIndex((slot) => slot.version === newestFound);
  const why = new Map<string, NotImportedReason>();
  for (const [index, slot] of slots.entries()) {
    if (slot.image || !slot.defined) continue;
    if (slot.ignored.length > 0) {
      // Its failed image is left for a human to look at; importing again would only pile up more of them.
      why.set(slot.version, { kind: 'not-imported', because: 'failed-image' });
    } else if (options.latest && newestDefined !== undefined && slot.version !== newestDefined) {
      why.set(slot.version, { kind: 'not-imported', because: 'latest-only', newest: newestDefined });
    } else if (def.multi && newestFound !== undefined && index < newestFoundAt) {
      // Retention may have deleted it on purpose (OIM imports those again on every run).
      why.set(slot.version, { kind: 'not-imported', because: 'older-than-present', newer: newestFound });
    }
  }
  return why;
}
