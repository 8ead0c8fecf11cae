import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { VersionSlot } from './inventory.js';
import type { PlanOptions, RetentionReason } from './types.js';

/**
 * How many outdated versions `uuid_validity` keeps (scs-0102): `last-N` keeps the newest N including the
 * current one, so N-1 outdated; `none` promises nothing, so none; `forever` and `notice` keep all (never
 * deleted automatically); a date keeps all until it has passed. Unknown values keep all: a delete cannot
 * be undone.
 */
export function outdatedToKeep(uuidValidity: unknown, today: string): number {
  if (uuidValidity === 'none') return 0;
  if (typeof uuidValidity !== 'string') return Infinity;
  const last = /^last-(\d+)$/.exec(uuidValidity);
  if (last) return Math.max(Number(last[1]) - 1, 0);
  if (/^\d{4}-\d{2}-\d{2}$/.test(uuidValidity)) return today > uuidValidity ? 0 : Infinity;
  return Infinity;
}

export function describeValidity(uuidValidity: unknown): string {
  return uuidValidity === undefined || uuidValidity === null ? 'unset' : String(uuidValidity);
}

/** The retention order: outdated versions present or arriving, newest first; their place decides (rule 6). */
export interface Ranking {
  outdatedRank: Map<string, number>;
  /** How many outdated versions uuid_validity keeps. */
  keepCount: number;
}

/** What rule 6 decides for one image of a slot. */
export interface Retention {
  past: boolean;
  deleting: boolean;
  /** Past it and --delete asked, but the image is protected. */
  protectedImage: boolean;
  reason: RetentionReason;
}

/**
 * The retention order of a definition's slots (in build order, oldest first) that stay: those with an
 * image, and those imported; `isCurrent` tells the current ones, which are not ranked.
 */
export function rankOutdated(
  def: ImageDefinition,
  staying: VersionSlot[],
  isCurrent: (slot: VersionSlot) => boolean,
  options: PlanOptions,
): Ranking {
  const outdated = staying.filter((slot) => !isCurrent(slot));
  // Newest first: the slots are in build order.
  const outdatedRank = new Map<string, number>();
  for (let index = outdated.length - 1; index >= 0; index--)
    outdatedRank.set((outdated[index] as VersionSlot).version, outdated.length - 1 - index);
  return { outdatedRank, keepCount: outdatedToKeep(def.meta.uuid_validity, options.today) };
}

/**
 * Rule 6 for one image of a slot (its own, or a duplicate): the version's place in the retention order decides;
 * the version current now (a duplicate of it) is in the place of the newest outdated one.
 */
export function retentionOf(
  def: ImageDefinition,
  slot: VersionSlot,
  image: GlanceImage | undefined,
  ranking: Ranking,
  options: PlanOptions,
): Retention {
  const rank = ranking.outdatedRank.get(slot.version) ?? 0;
  const past = rank >= ranking.keepCount;
  const kept = options.keep || def.keep;
  const protectedImage = image?.protected === true;
  const deleting = past && options.delete && !kept && !protectedImage;
  const refused = past && options.delete && protectedImage;
  const validity = describeValidity(def.meta.uuid_validity);
  const reason: RetentionReason = !past
    ? { kind: 'kept', rank, validity }
    : !options.delete
      ? { kind: 'past-validity', rank, validity }
      : protectedImage
        ? { kind: 'protected', rank, validity }
        : kept
          ? { kind: 'kept-anyway', rank, validity, by: options.keep ? '--keep' : 'keep: true' }
          : { kind: 'expired', rank, validity };
  return { past, deleting, protectedImage: refused, reason };
}
