import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { OwnedImage } from '../definitions/identify.js';
import { isDuplicateName } from '../definitions/names.js';
import { inBuildOrder, versionBuildDay } from '../definitions/version-order.js';

/** An image an earlier run (or --no-wait) left before active: this run finishes its import (rule 8). */
export const IN_PROGRESS: ReadonlySet<string> = new Set(['queued', 'saving', 'uploading', 'importing']);
const USABLE: ReadonlySet<string> = new Set(['active', 'deactivated']);

/** One version of a definition: defined, found in the cloud, or both. */
export interface VersionSlot {
  version: string;
  /** The definition's entry; undefined: a version the definition no longer lists. */
  defined?: VersionDefinition;
  /**
   * The image the run works with: a usable one (the keeper, see `keeperOrder`), else the newest one being
   * imported.
   */
  image?: GlanceImage;
  /**
   * `image` holds no version of its own: it is the day it was created (a plain-named image without
   * internal_version).
   */
  dated: boolean;
  /** Usable images beside `image`: retired as outdated duplicates (rule 11). */
  duplicates: GlanceImage[];
  /** Images claiming the version that are left alone: failed ones, and ones being imported beside `image` (rule 8). */
  ignored: GlanceImage[];
}

/**
 * Stage 1: one slot per version, oldest first, the newest last: every version the definition lists (each once)
 * and every one found, in build order (`inBuildOrder`) as the loader orders a definition's versions.
 */
export function inventory(def: ImageDefinition, owned: OwnedImage[]): VersionSlot[] {
  const found = new Map<string, OwnedImage[]>();
  for (const entry of owned) {
    const same = found.get(entry.version);
    if (same) same.push(entry);
    else found.set(entry.version, [entry]);
  }
  const slots: VersionSlot[] = [];
  for (const version of def.versions) {
    slots.push(versionSlotOf(def, version.version, version, found.get(version.version)));
    found.delete(version.version);
  }
  for (const [version, entries] of found) slots.push(versionSlotOf(def, version, undefined, entries));
  return inBuildOrder(slots, slotDay);
}

/**
 * A slot's build day: its definition's; for a version no longer listed, the `image_build_date` its image
 * carries, else the date its label tells.
 */
function slotDay(slot: VersionSlot): string | undefined {
  if (slot.defined) return versionBuildDay(slot.defined);
  const written = (slot.image ?? slot.ignored[0])?.image_build_date;
  return versionBuildDay({ version: slot.version, build_date: typeof written === 'string' ? written : undefined });
}

/** A version's slot. Most have one image or none: that needs no sorting, filtering or copying. */
function versionSlotOf(
  def: ImageDefinition,
  version: string,
  defined: VersionDefinition | undefined,
  owned: OwnedImage[] | undefined,
): VersionSlot {
  const slot: VersionSlot = { version, dated: false, duplicates: [], ignored: [] };
  if (defined) slot.defined = defined;
  if (!owned) return slot;
  const [only] = owned;
  if (owned.length === 1 && only) {
    if (rank(only.image) < FAILED) {
      slot.image = only.image;
      slot.dated = only.via === 'created_at';
    } else slot.ignored.push(only.image);
    return slot;
  }
  return Object.assign(slot, sortedOut(def, version, owned));
}

/** Several images claim the version: the one worked with, its duplicates and the ones left alone (rule 8, 11). */
function sortedOut(
  def: ImageDefinition,
  version: string,
  owned: OwnedImage[],
): Pick<VersionSlot, 'image' | 'dated' | 'duplicates' | 'ignored'> {
  const usable = owned
    .filter((entry) => rank(entry.image) === 0)
    .sort((a, b) => keeperOrder(def, version, a.image, b.image));
  const others = owned
    .filter((entry) => rank(entry.image) > 0)
    .sort((a, b) => rank(a.image) - rank(b.image) || b.image.created_at.localeCompare(a.image.created_at));
  const first = usable[0] ?? others[0];
  const workable = first !== undefined && rank(first.image) < FAILED;
  return {
    ...(workable ? { image: first.image } : {}),
    dated: workable && first.via === 'created_at',
    duplicates: usable.slice(1).map((entry) => entry.image),
    // Beside a usable image every other one is left alone; else all but the one being imported worked with.
    ignored: others.slice(usable.length === 0 && workable ? 1 : 0).map((entry) => entry.image),
  };
}

/**
 * Rule 11: of several usable images of one version the one kept is the one holding the plain name, else one
 * not named as a duplicate (an earlier run retired those), else the oldest created, else the one with the
 * lowest id; the sort order puts it first.
 */
export function keeperOrder(def: ImageDefinition, version: string, a: GlanceImage, b: GlanceImage): number {
  return (
    byName(def, version, a) - byName(def, version, b) ||
    a.created_at.localeCompare(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Why `keeper` was kept over `other` (rule 11), for the notes. */
export function whyKept(def: ImageDefinition, version: string, keeper: GlanceImage, other: GlanceImage): string {
  const [kept, retired] = [byName(def, version, keeper), byName(def, version, other)];
  if (kept < retired) return kept === 0 ? 'it holds the plain name' : 'the other is named as a duplicate';
  return keeper.created_at < other.created_at ? 'the oldest' : 'the lowest id';
}

/** 0: it holds the plain name; 2: it is named as a duplicate; 1: any other name. */
function byName(def: ImageDefinition, version: string, image: GlanceImage): number {
  if (def.multi && image.name === def.name) return 0;
  return image.name && isDuplicateName(def, version, image.name) ? 2 : 1;
}

const FAILED = 2;

/** Usable (0) first, then one being imported, then failed (killed, deleted, …). */
function rank(image: GlanceImage): number {
  if (USABLE.has(image.status)) return 0;
  return IN_PROGRESS.has(image.status) ? 1 : FAILED;
}
