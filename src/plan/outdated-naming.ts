import type { ImageDefinition, OutdatedNameStyle } from '../definitions/types.js';
import type { VersionSlot } from './inventory.js';
import { buildDay, scsOutdatedName } from '../definitions/names.js';
import type { OimNamedReason, PlanOptions } from './types.js';

/**
 * Rule 5 in the SCS form: per version, its outdated name `NAME YYYYMMDD`, or why it keeps OIM's form (no build
 * day, or one it shares with another version: two images of one name would draw scs-0102's duplicate warning).
 */
export interface OutdatedNaming {
  names: Map<string, string>;
  oimBecause: Map<string, OimNamedReason>;
}

/** Every version's day counts, current or not: a version's outdated name does not depend on the others' roles. */
export function outdatedNaming(def: ImageDefinition, slots: VersionSlot[], options: PlanOptions): OutdatedNaming {
  const naming: OutdatedNaming = { names: new Map(), oimBecause: new Map() };
  if (!def.multi || outdatedNameStyle(def, options) !== 'scs') return naming;
  const byDay = new Map<string, string[]>();
  const noDay: OimNamedReason = { because: 'no-build-day' };
  for (const slot of slots) {
    const written = slot.image?.image_build_date;
    const day = buildDay(slot.defined?.build_date ?? (typeof written === 'string' ? written : undefined), slot.version);
    if (day === undefined) naming.oimBecause.set(slot.version, noDay);
    else byDay.set(day, [...(byDay.get(day) ?? []), slot.version]);
  }
  for (const [day, versions] of byDay) {
    const [only] = versions;
    if (versions.length === 1 && only !== undefined) naming.names.set(only, scsOutdatedName(def, day));
    else {
      const shared: OimNamedReason = { because: 'shared-build-day', day, versions };
      for (const v of versions) naming.oimBecause.set(v, shared);
    }
  }
  return naming;
}

/** How a definition's outdated versions are named: --outdated-names wins, then its `outdated_names`, else OIM's. */
export function outdatedNameStyle(
  def: ImageDefinition,
  options: Pick<PlanOptions, 'outdatedNames'>,
): OutdatedNameStyle {
  return options.outdatedNames ?? def.outdated_names ?? 'oim';
}
