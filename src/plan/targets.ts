import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { OutdatedState, Role } from './desired.js';
import { retireDuplicate } from './duplicates.js';
import { notImported } from './eligibility.js';
import { IN_PROGRESS, type VersionSlot } from './inventory.js';
import { type OutdatedNaming, outdatedNaming } from './outdated-naming.js';
import { type Ranking, rankOutdated, type Retention, retentionOf } from './retention.js';
import { deletion, desiredFor, fitted, retiredOptions } from './target-state.js';
import type { DesiredImage, NotImportedReason, OimNamedReason, PlanOptions, RetentionReason } from './types.js';

/** Stage 2's answer for one slot: what becomes of its version in this run, and why. */
export type Target = Absent | Arrival | Kept | Deleted;

/** No image, and none imported. */
export interface Absent {
  fate: 'none';
  slot: VersionSlot;
  /** Why not imported; `not-listed`: a version no longer listed whose only images failed. */
  reason: NotImportedReason | RetentionReason | { kind: 'not-listed' };
}

/** Current, or outdated and why retention keeps it. */
type RoleReason = { kind: 'current' } | RetentionReason;

/** Imported by this run, or its unfinished import finished (rule 8). `desired.name` is the name it ends with. */
export type Arrival = {
  slot: VersionSlot;
  role: Role;
  desired: DesiredImage;
  reason: RoleReason;
  /** Why an outdated version is named OIM's way although the SCS form was asked for. */
  oimNamed?: OimNamedReason;
} & ({ fate: 'import' } | { fate: 'resume'; image: GlanceImage });

/** An image kept and brought to `desired`. */
export interface Kept {
  fate: 'keep';
  slot: VersionSlot;
  image: GlanceImage;
  role: Role;
  desired: DesiredImage;
  reason: RoleReason;
  /**
   * Part of the change waits. `rotation` (rule 5): the image is current now and hands over to a version this
   * run imports; its name, os_purpose, exposure and status change once that is in. `retention` (rule 6): it
   * is past its retention; its status changes once every import of the definition is in.
   */
  waits?: 'rotation' | 'retention';
  /** min_disk raised above the definition's to hold the stored image (rule 4). */
  minDiskRaised?: { from: number; to: number };
  /** A duplicate retired beside this image, the one kept of its version (rule 11). */
  duplicateOf?: GlanceImage;
  /** Why an outdated version is named OIM's way although the SCS form was asked for. */
  oimNamed?: OimNamedReason;
  /** Past its retention, and --delete asked, but protected: Glance would refuse the delete (rule 6). */
  protectedFromDelete?: boolean;
}

/** Deleted by retention (rule 6); `fallback` is the state it is retired to when Glance refuses (in use). */
export interface Deleted {
  fate: 'delete';
  slot: VersionSlot;
  image: GlanceImage;
  reason: RetentionReason;
  fallback: DesiredImage;
  /** A duplicate retired beside this image, the one kept of its version (rule 11). */
  duplicateOf?: GlanceImage;
}

/** What every slot's decision reads about its definition: the roles and the retention order. */
interface Lineup {
  ranking: Ranking;
  /** Why a missing defined version is not imported, before retention has its say (rule 2). */
  notImported: Map<string, NotImportedReason>;
  /** The version that carries the plain name once this run is done (multi images only). */
  current?: string;
  /** When `current` arrives in this run: the version current now, which hands over to it (rule 5). */
  handingOver?: { version?: string };
  /** Some version arrives in this run: retention's deactivations wait for it (rule 6). */
  arrivals: boolean;
  naming: OutdatedNaming;
}

/**
 * Stage 2: per slot, the state it should reach and why: one decision each, and one per duplicate. `slots` as
 * `inventory` gives them: in build order, oldest first.
 */
export function targets(def: ImageDefinition, slots: VersionSlot[], options: PlanOptions): Target[] {
  const lineup = lineUp(def, slots, options);
  const decided: Target[] = [];
  for (const slot of slots) {
    decided.push(decide(def, slot, lineup, options));
    for (const image of slot.duplicates) decided.push(retireDuplicate(def, slot, image, lineup, options));
  }
  return decided;
}

function lineUp(def: ImageDefinition, slots: VersionSlot[], options: PlanOptions): Lineup {
  const notImportedWhy = notImported(def, slots, options);
  const staying = slots.filter((slot) => slot.image || (slot.defined && !notImportedWhy.has(slot.version)));
  const current = def.multi ? newest(staying.filter((slot) => slot.defined)) : undefined;
  const ranking = rankOutdated(def, staying, (slot) => isCurrent(def, slot, current), options);
  // An import retention would delete at once does not arrive (rule 2), nor is one left unfinished resumed.
  const arriving = staying
    .filter(arrives)
    .filter((slot) => isCurrent(def, slot, current) || !retentionOf(def, slot, slot.image, ranking, options).deleting);
  const handingOver = arriving.some((slot) => slot.version === current)
    ? { handingOver: versionOf(newest(slots.filter((slot) => slot.defined && slot.image && !arrives(slot)))) }
    : {};
  return {
    ranking,
    notImported: notImportedWhy,
    ...(current !== undefined ? { current } : {}),
    ...handingOver,
    arrivals: arriving.length > 0,
    naming: outdatedNaming(def, slots, options),
  };
}

function decide(def: ImageDefinition, slot: VersionSlot, lineup: Lineup, options: PlanOptions): Target {
  const image = slot.image;
  if (!image) {
    const why = lineup.notImported.get(slot.version);
    if (!slot.defined) return { fate: 'none', slot, reason: { kind: 'not-listed' } };
    if (why !== undefined) return { fate: 'none', slot, reason: why };
  }
  const role: Role = isCurrent(def, slot, lineup.current) ? 'current' : 'outdated';
  const retention = role === 'outdated' ? retentionOf(def, slot, image, lineup.ranking, options) : undefined;
  const resuming = image !== undefined && slot.defined !== undefined && IN_PROGRESS.has(image.status);
  // A resumed import is private until it is through: only a kept image's exposure is one to keep (rule 10).
  const found = image && !resuming ? image : undefined;
  const name = lineup.naming.names.get(slot.version);
  if (retention?.deleting) {
    if (!image) return { fate: 'none', slot, reason: retention.reason };
    const retired = desiredFor(def, slot, role, retiredOptions(options), outdatedState(true, found, name));
    return deletion(slot, image, retention.reason, retired);
  }
  const desired = desiredFor(def, slot, role, options, outdatedState(!!retention?.past, found, name));
  const reason: RoleReason = retention?.reason ?? CURRENT;
  let target: Arrival | Kept;
  if (!image) target = { fate: 'import', slot, role, desired, reason };
  else if (resuming) target = { fate: 'resume', slot, image, role, desired, reason };
  else {
    target = { fate: 'keep', slot, image, role, ...fitted(desired, image), reason };
    const waits = waitsFor(def, slot, image, lineup, retention);
    if (waits) target.waits = waits;
    if (retention?.protectedImage) target.protectedFromDelete = true;
  }
  const oimBecause = role === 'outdated' ? lineup.naming.oimBecause.get(slot.version) : undefined;
  if (oimBecause !== undefined) target.oimNamed = oimBecause;
  return target;
}

const CURRENT = { kind: 'current' } as const;

function outdatedState(deactivated: boolean, found: GlanceImage | undefined, name?: string): OutdatedState {
  return { hidden: true, deactivated, ...(found ? { found } : {}), ...(name !== undefined ? { name } : {}) };
}

function waitsFor(
  def: ImageDefinition,
  slot: VersionSlot,
  image: GlanceImage,
  lineup: Lineup,
  retention?: Retention,
): Kept['waits'] {
  const handover = lineup.handingOver;
  if (handover && (slot.version === handover.version || image.name === def.name)) return 'rotation';
  return retention?.past && lineup.arrivals ? 'retention' : undefined;
}

/** Rules 5 and 7: every defined version of a single-version image is current; of a multi image, the newest. */
function isCurrent(def: ImageDefinition, slot: VersionSlot, current: string | undefined): boolean {
  return slot.defined !== undefined && (!def.multi || slot.version === current);
}

function arrives(slot: VersionSlot): boolean {
  return !slot.image || (slot.defined !== undefined && IN_PROGRESS.has(slot.image.status));
}

function versionOf(version: string | undefined): { version?: string } {
  return version !== undefined ? { version } : {};
}

/** The newest version of the slots (in build order, as `inventory` gives them). */
function newest(slots: VersionSlot[]): string | undefined {
  return slots.at(-1)?.version;
}
