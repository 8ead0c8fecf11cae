import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { desiredForUndefinedVersion, desiredForVersion, type OutdatedState, type Role } from './desired.js';
import { requiredMinDisk } from './diff.js';
import { IN_PROGRESS, type VersionSlot } from './inventory.js';
import { buildDay, duplicateName, identityName, imageName, outdatedNameStyle, scsOutdatedName } from './names.js';
import { describeValidity, outdatedToKeep } from './retention.js';
import type { DesiredImage, PlanOptions } from './types.js';

/** Stage 2's answer for one slot: what becomes of its version in this run, and why. */
export type Target = Absent | Arrival | Kept | Deleted;

/** No image, and none imported: `why` says why not (undefined: a failed image of a version no longer listed). */
export interface Absent {
  fate: 'none';
  slot: VersionSlot;
  why?: string;
}

/** Imported by this run, or its unfinished import finished (rule 8). `desired.name` is the name it ends with. */
export type Arrival = {
  slot: VersionSlot;
  role: Role;
  desired: DesiredImage;
  /** Why an outdated arrival is kept (retention), for the notes. */
  why?: string;
  /** Why an outdated version is named OIM's way although the SCS form was asked for, for the notes. */
  oimNamed?: string;
} & ({ fate: 'import' } | { fate: 'resume'; image: GlanceImage });

/** An image kept and brought to `desired`. */
export interface Kept {
  fate: 'keep';
  slot: VersionSlot;
  image: GlanceImage;
  role: Role;
  desired: DesiredImage;
  /** Why an outdated image is kept (retention), for the notes. */
  why?: string;
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
  /** Why an outdated version is named OIM's way although the SCS form was asked for, for the notes. */
  oimNamed?: string;
  /** Past its retention, and --delete asked, but protected: Glance would refuse the delete (rule 6). */
  protectedFromDelete?: boolean;
}

/** Deleted by retention (rule 6); `fallback` is the state it is retired to when Glance refuses (in use). */
export interface Deleted {
  fate: 'delete';
  slot: VersionSlot;
  image: GlanceImage;
  why: string;
  fallback: DesiredImage;
  /** A duplicate retired beside this image, the one kept of its version (rule 11). */
  duplicateOf?: GlanceImage;
}

/** The retention order: outdated versions present or arriving, newest first; their place decides (rule 6). */
interface Ranking {
  outdatedRank: Map<string, number>;
  /** How many outdated versions uuid_validity keeps. */
  keepCount: number;
  /** The reasons retention gives, each written once per definition (a plan holds one per image). */
  reasons: Map<string, string>;
}

/** What every slot's decision reads about its definition: the roles and the retention order. */
interface Lineup extends Ranking {
  /** Why a missing defined version is not imported, before retention has its say (rule 2). */
  notImported: Map<string, string>;
  /** The version that carries the plain name once this run is done (multi images only). */
  current?: string;
  /** When `current` arrives in this run: the version current now, which hands over to it (rule 5). */
  handingOver?: { version?: string };
  /** Some version arrives in this run: retention's deactivations wait for it (rule 6). */
  arrivals: boolean;
  naming: OutdatedNaming;
}

interface Retention {
  past: boolean;
  deleting: boolean;
  /** Past it and --delete asked, but the image is protected. */
  protectedImage: boolean;
  why: string;
}

/**
 * Rule 5 in the SCS form: per version, its outdated name `NAME YYYYMMDD`, or why it keeps OIM's form (no build
 * day, or one it shares with another version: two images of one name would draw scs-0102's duplicate warning).
 */
interface OutdatedNaming {
  names: Map<string, string>;
  oimBecause: Map<string, string>;
}

/**
 * Stage 2: per slot, the state it should reach and why: one decision each, and one per duplicate. `slots` as
 * `inventory` gives them: in version order, oldest first.
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
  const notImported = whyNotImported(def, slots, options);
  const staying = slots.filter((slot) => slot.image || (slot.defined && !notImported.has(slot.version)));
  const current = def.multi ? newest(staying.filter((slot) => slot.defined)) : undefined;
  const outdated = staying.filter((slot) => !isCurrent(def, slot, current));
  // Newest first: the slots are in version order.
  const outdatedRank = new Map<string, number>();
  for (let index = outdated.length - 1; index >= 0; index--)
    outdatedRank.set((outdated[index] as VersionSlot).version, outdated.length - 1 - index);
  const keepCount = outdatedToKeep(def.meta.uuid_validity, options.today);
  const ranking: Ranking = { outdatedRank, keepCount, reasons: new Map() };
  // An import retention would delete at once does not arrive (rule 2), nor is one left unfinished resumed.
  const arriving = staying
    .filter(arrives)
    .filter((slot) => isCurrent(def, slot, current) || !retentionOf(def, slot, slot.image, ranking, options).deleting);
  const handingOver = arriving.some((slot) => slot.version === current)
    ? { handingOver: versionOf(newest(slots.filter((slot) => slot.defined && slot.image && !arrives(slot)))) }
    : {};
  return {
    notImported,
    ...(current !== undefined ? { current } : {}),
    ...ranking,
    ...handingOver,
    arrivals: arriving.length > 0,
    naming: outdatedNaming(def, slots, options),
  };
}

/** Every version's day counts, current or not: a version's outdated name does not depend on the others' roles. */
function outdatedNaming(def: ImageDefinition, slots: VersionSlot[], options: PlanOptions): OutdatedNaming {
  const naming: OutdatedNaming = { names: new Map(), oimBecause: new Map() };
  if (!def.multi || outdatedNameStyle(def, options) !== 'scs') return naming;
  const byDay = new Map<string, string[]>();
  for (const slot of slots) {
    const written = slot.image?.image_build_date;
    const day = buildDay(slot.defined?.build_date ?? (typeof written === 'string' ? written : undefined), slot.version);
    if (day === undefined) naming.oimBecause.set(slot.version, `it has no build_date and is no YYYYMMDD date`);
    else byDay.set(day, [...(byDay.get(day) ?? []), slot.version]);
  }
  for (const [day, versions] of byDay) {
    const [only] = versions;
    if (versions.length === 1 && only !== undefined) naming.names.set(only, scsOutdatedName(def, day));
    else
      for (const v of versions) naming.oimBecause.set(v, `versions ${versions.join(', ')} share the build day ${day}`);
  }
  return naming;
}

/** Rule 2: which missing versions are not imported, and why. */
function whyNotImported(def: ImageDefinition, slots: VersionSlot[], options: PlanOptions): Map<string, string> {
  const newestDefined = def.versions.at(-1)?.version;
  // A plain-named image with no internal_version only has its creation day as a version: no measure of age.
  const newestFound = newest(slots.filter((slot) => slot.image && !slot.dated));
  // In version order: the slots before the newest one found are older.
  const newestFoundAt = newestFound === undefined ? -1 : slots.findIndex((slot) => slot.version === newestFound);
  const why = new Map<string, string>();
  for (const [index, slot] of slots.entries()) {
    if (slot.image || !slot.defined) continue;
    if (slot.ignored.length > 0) {
      // Its failed image is left for a human to look at; importing again would only pile up more of them.
      why.set(slot.version, 'delete its failed image first');
    } else if (options.latest && slot.version !== newestDefined) {
      why.set(slot.version, `--latest imports only ${newestDefined}`);
    } else if (def.multi && index < newestFoundAt) {
      // Retention may have deleted it on purpose (OIM imports those again on every run).
      why.set(slot.version, `the newer version ${newestFound} exists`);
    }
  }
  return why;
}

function decide(def: ImageDefinition, slot: VersionSlot, lineup: Lineup, options: PlanOptions): Target {
  const image = slot.image;
  if (!image) {
    const notImported = lineup.notImported.get(slot.version);
    if (!slot.defined || notImported !== undefined)
      return { fate: 'none', slot, ...(notImported ? { why: notImported } : {}) };
  }
  const role: Role = isCurrent(def, slot, lineup.current) ? 'current' : 'outdated';
  const retention = role === 'outdated' ? retentionOf(def, slot, image, lineup, options) : undefined;
  const resuming = image !== undefined && slot.defined !== undefined && IN_PROGRESS.has(image.status);
  // A resumed import is private until it is through: only a kept image's exposure is one to keep (rule 10).
  const found = image && !resuming ? image : undefined;
  const name = lineup.naming.names.get(slot.version);
  if (retention?.deleting) {
    if (!image) return { fate: 'none', slot, why: retention.why };
    const retired = desiredFor(def, slot, role, retiredOptions(options), outdatedState(true, found, name));
    return deletion(slot, image, retention.why, retired);
  }
  const desired = desiredFor(def, slot, role, options, outdatedState(!!retention?.past, found, name));
  let target: Arrival | Kept;
  if (!image) target = { fate: 'import', slot, role, desired };
  else if (resuming) target = { fate: 'resume', slot, image, role, desired };
  else {
    target = { fate: 'keep', slot, image, role, desired };
    fitStored(target, image);
    const waits = waitsFor(def, slot, image, lineup, retention);
    if (waits) target.waits = waits;
    if (retention?.protectedImage) target.protectedFromDelete = true;
  }
  if (retention) target.why = retention.why;
  const oimBecause = role === 'outdated' ? lineup.naming.oimBecause.get(slot.version) : undefined;
  if (oimBecause !== undefined) target.oimNamed = oimBecause;
  return target;
}

function outdatedState(deactivated: boolean, found: GlanceImage | undefined, name?: string): OutdatedState {
  return { hidden: true, deactivated, ...(found ? { found } : {}), ...(name !== undefined ? { name } : {}) };
}

/**
 * Rule 11: a usable image beside the one kept of its version is retired as an outdated version is: renamed
 * apart (with the identity properties, so that the next run knows it), oldgeneric, hidden, deactivated or
 * deleted by the flags and the retention of its version. It never waits for a rotation: it holds no role.
 */
function retireDuplicate(
  def: ImageDefinition,
  slot: VersionSlot,
  image: GlanceImage,
  lineup: Lineup,
  options: PlanOptions,
): Kept | Deleted {
  const keeper = slot.image as GlanceImage;
  const retention = retentionOf(def, slot, image, lineup, options);
  const ids = slot.duplicates.map((other) => other.id);
  const desiredWith = (opts: PlanOptions, deactivated: boolean): DesiredImage => {
    const desired = desiredFor(def, { ...slot, image }, 'outdated', opts, { hidden: true, deactivated, found: image });
    const identity = { image_name: identityName(def), internal_version: slot.version };
    const name = duplicateName(def, slot.version, image.id, ids);
    return { ...desired, name, properties: { ...identity, ...desired.properties } };
  };
  if (retention.deleting) {
    const fallback = desiredWith(retiredOptions(options), true);
    return { ...deletion(slot, image, retention.why, fallback), duplicateOf: keeper };
  }
  const desired = desiredWith(options, retention.past);
  const waits = retention.past && lineup.arrivals ? { waits: 'retention' as const } : {};
  return {
    fate: 'keep',
    slot,
    image,
    role: 'outdated',
    ...fitted(desired, image),
    why: retention.why,
    ...waits,
    duplicateOf: keeper,
  };
}

/** Should Glance refuse the delete (the image is in use), it is retired as far as it can be instead. */
function deletion(slot: VersionSlot, image: GlanceImage, why: string, retired: DesiredImage): Deleted {
  return { fate: 'delete', slot, image, why, fallback: fitted(retired, image).desired };
}

function retiredOptions(options: PlanOptions): PlanOptions {
  return { ...options, hide: true, deactivate: true };
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

/**
 * Rule 6 for one image of a slot (its own, or a duplicate): the version's place in the retention order decides;
 * the version current now (a duplicate of it) is in the place of the newest outdated one.
 */
function retentionOf(
  def: ImageDefinition,
  slot: VersionSlot,
  image: GlanceImage | undefined,
  ranking: Ranking,
  options: PlanOptions,
): Retention {
  const past = (ranking.outdatedRank.get(slot.version) ?? 0) >= ranking.keepCount;
  const kept = options.keep || def.keep;
  const protectedImage = image?.protected === true;
  const deleting = past && options.delete && !kept && !protectedImage;
  const refused = past && options.delete && protectedImage;
  const reason = !past
    ? 'kept'
    : !options.delete
      ? 'past'
      : protectedImage
        ? 'protected'
        : kept
          ? 'kept anyway'
          : 'due';
  let why = ranking.reasons.get(reason);
  if (why === undefined) {
    why = retentionReason(reason, describeValidity(def.meta.uuid_validity), options);
    ranking.reasons.set(reason, why);
  }
  return { past, deleting, protectedImage: refused, why };
}

function retentionReason(reason: string, validity: string, options: PlanOptions): string {
  switch (reason) {
    case 'kept':
      return `kept: uuid_validity ${validity}`;
    case 'past':
      return `past its retention (uuid_validity ${validity}); --delete would delete it`;
    case 'protected':
      return 'past its retention, but protected: --delete leaves it (Glance refuses to delete a protected image)';
    case 'kept anyway':
      return `past its retention but kept (${options.keep ? '--keep' : 'keep: true'})`;
    default:
      return `uuid_validity ${validity}`;
  }
}

function desiredFor(
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

/** Rule 4: min_disk never below what the stored image needs. */
function fitted(desired: DesiredImage, image: GlanceImage): Pick<Kept, 'desired' | 'minDiskRaised'> {
  if (desired.min_disk === undefined) return { desired };
  const needed = requiredMinDisk(image);
  if (needed <= desired.min_disk) return { desired };
  return { desired: { ...desired, min_disk: needed }, minDiskRaised: { from: desired.min_disk, to: needed } };
}

/** `fitted`, on a kept image's target. */
function fitStored(target: Kept, image: GlanceImage): void {
  const { desired, minDiskRaised } = fitted(target.desired, image);
  target.desired = desired;
  if (minDiskRaised) target.minDiskRaised = minDiskRaised;
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

/** The newest version of the slots (in version order, as `inventory` gives them). */
function newest(slots: VersionSlot[]): string | undefined {
  return slots.at(-1)?.version;
}
