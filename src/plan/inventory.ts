import { naturalCompare } from '../definitions/natural-sort.js';
import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { OwnedImage } from './identify.js';

/** An image an earlier run (or --no-wait) left before active: this run finishes its import (rule 8). */
export const IN_PROGRESS: ReadonlySet<string> = new Set(['queued', 'saving', 'uploading', 'importing']);
const USABLE: ReadonlySet<string> = new Set(['active', 'deactivated']);

/** One version of a definition: defined, found in the cloud, or both. */
export interface Slot {
  version: string;
  /** The definition's entry; undefined: a version the definition no longer lists. */
  defined?: VersionDefinition;
  /** The image the run works with: a usable one, else one being imported; the newest of them. */
  image?: GlanceImage;
  /**
   * `image` holds no version of its own: it is the day it was created (a plain-named image without
   * internal_version).
   */
  dated: boolean;
  /** Images claiming the version that are left alone: failed ones, and any beside `image` (rule 8). */
  ignored: GlanceImage[];
}

/** Stage 1: one slot per version, oldest first: every version the definition lists and every one found. */
export function inventory(def: ImageDefinition, owned: OwnedImage[]): Slot[] {
  const found = new Map<string, OwnedImage[]>();
  for (const entry of owned) {
    const same = found.get(entry.version);
    if (same) same.push(entry);
    else found.set(entry.version, [entry]);
  }
  const defined = new Map(def.versions.map((version) => [version.version, version]));
  const versions = [...new Set([...defined.keys(), ...found.keys()])].sort(naturalCompare);
  return versions.map((version) => slotOf(version, defined.get(version), found.get(version) ?? []));
}

function slotOf(version: string, defined: VersionDefinition | undefined, owned: OwnedImage[]): Slot {
  const ranked = [...owned].sort(
    (a, b) => rank(a.image) - rank(b.image) || b.image.created_at.localeCompare(a.image.created_at),
  );
  const first = ranked[0];
  const workable = first !== undefined && rank(first.image) < FAILED;
  return {
    version,
    ...(defined ? { defined } : {}),
    ...(workable ? { image: first.image } : {}),
    dated: workable && first.via === 'created_at',
    ignored: ranked.slice(workable ? 1 : 0).map((entry) => entry.image),
  };
}

const FAILED = 2;

/** Usable first, then one being imported, then failed (killed, deleted, …). */
function rank(image: GlanceImage): number {
  if (USABLE.has(image.status)) return 0;
  return IN_PROGRESS.has(image.status) ? 1 : FAILED;
}
