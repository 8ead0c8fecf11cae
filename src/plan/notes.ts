import { identityName } from '../definitions/publishes.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { type VersionSlot, whyKept } from './inventory.js';
import { publishedNames } from '../definitions/names.js';
import { isRetention, oimNamedText, reasonText } from './reasons.js';
import type { Deleted, Kept, Target } from './targets.js';
import type { PlanNote } from './types.js';

type Note = (level: PlanNote['level'], message: string, image?: string | null) => PlanNote;

/** Images the tool does not manage because they lack its tag (`tag`), found by a name the plan may give out. */
export interface Untagged {
  tag: string;
  images: GlanceImage[];
}

/**
 * What the plan tells the operator about one definition: images left alone, duplicates retired, versions not
 * imported, retention, a version no longer defined that gives the plain name back, images the tool does not
 * manage that share a name it gives out (`strangers`), and look-alikes left alone for want of the tag.
 */
export function notesOf(
  def: ImageDefinition,
  slots: VersionSlot[],
  decided: Target[],
  strangers: GlanceImage[] = [],
  untagged: Untagged = { tag: '', images: [] },
): PlanNote[] {
  const note: Note = (level, message, image) => ({
    level,
    definition: def.name,
    ...(image ? { image } : {}),
    message,
  });
  return [
    ...slots.flatMap((slot) => leftAlone(slot, note)),
    ...decided.flatMap((target) => targetNotes(def, target, note)),
    ...plainNameGivenBack(def, decided, note),
    ...nameCollisions(decided, strangers, note),
    ...untaggedLookalikes(def, decided, strangers, untagged, note),
  ];
}

/** Rule 8: images of a version that are neither worked with nor retired. */
function leftAlone(slot: VersionSlot, note: Note): PlanNote[] {
  const [first] = slot.ignored;
  if (slot.image) {
    return slot.ignored.map((extra) => {
      const message =
        `image ${extra.id} (${extra.status}) also claims version ${slot.version}; ` +
        `using ${slot.image?.id}, leaving this one alone`;
      return note('warn', message, extra.name ?? extra.id);
    });
  }
  if (!first) return [];
  const ids = slot.ignored.map((image) => image.id).join(', ');
  const images = `${first.status} ${slot.ignored.length === 1 ? 'image' : 'images'} (${ids})`;
  const message = `version ${slot.version} exists only as ${images}: left alone, delete by hand`;
  return [note('warn', message, first.name ?? first.id)];
}

function targetNotes(def: ImageDefinition, target: Target, note: Note): PlanNote[] {
  if (target.fate === 'none') {
    if (target.reason.kind === 'not-listed') return [];
    return [note('info', `version ${target.slot.version} not imported: ${reasonText(target.reason)}`)];
  }
  if ((target.fate === 'keep' || target.fate === 'delete') && target.duplicateOf)
    return [duplicateNote(def, target, note)];
  const notes: PlanNote[] = [];
  if (target.fate === 'keep' && target.minDiskRaised) {
    const { from, to } = target.minDiskRaised;
    const message = `min_disk ${from} is too small for the stored image; using ${to}`;
    notes.push(note('warn', message, target.image.name ?? target.image.id));
  }
  if ((target.fate === 'keep' || target.fate === 'resume') && isRetention(target.reason)) {
    const refused = target.fate === 'keep' && target.protectedFromDelete;
    notes.push(note(refused ? 'warn' : 'info', reasonText(target.reason), target.image.name ?? target.image.id));
  }
  if (target.fate !== 'delete' && target.oimNamed !== undefined) {
    const name = target.desired.name;
    const message =
      `version ${target.slot.version} is named ${name}, OIM's way: ${oimNamedText(target.oimNamed)}, ` +
      "so it cannot be named scs-0102's way (NAME YYYYMMDD)";
    notes.push(note('warn', message, name));
  }
  return notes;
}

/** Rule 5: a version no longer listed held the plain name; the newest listed one takes it (or nobody does). */
function plainNameGivenBack(def: ImageDefinition, decided: Target[], note: Note): PlanNote[] {
  if (!def.multi) return [];
  const holders = decided.filter(
    (target) => (target.fate === 'keep' || target.fate === 'delete') && !target.slot.defined && !target.slot.dated,
  );
  const leaving = holders.filter((target) => 'image' in target && target.image.name === def.name);
  if (leaving.length === 0) return [];
  const current = decided.find(
    (target) => target.fate !== 'none' && target.fate !== 'delete' && target.role === 'current',
  );
  return leaving.map((target) => {
    const version = target.slot.version;
    const heir =
      current === undefined
        ? `no listed version is left to take the plain name ${def.name}`
        : `${current.slot.version} takes the plain name ${current.fate === 'keep' ? 'back' : 'once it is imported'}`;
    return note('info', `${version} is no longer defined: ${heir}`, def.name);
  });
}

/** Rule 11: which image of the version is kept and why, and what becomes of the duplicate. */
function duplicateNote(def: ImageDefinition, target: Kept | Deleted, note: Note): PlanNote {
  const { image, slot } = target;
  const keeper = target.duplicateOf as GlanceImage;
  const why = whyKept(def, slot.version, keeper, image);
  const retention = reasonText(target.reason);
  const fate = target.fate === 'delete' ? `deleted (${retention})` : retention;
  const message =
    `image ${image.id} also claims version ${slot.version}; keeping ${keeper.id} (${why}), ` +
    `this one is retired as an outdated duplicate: ${fate}`;
  return note('warn', message, image.name ?? image.id);
}

/**
 * Rule 1: an image without the managed tag that looks like one of the definition's (its image_name, or a name
 * its images carry) is never touched; the plan says so, once per image (rule 12 may have named it already).
 */
function untaggedLookalikes(
  def: ImageDefinition,
  decided: Target[],
  strangers: GlanceImage[],
  untagged: Untagged,
  note: Note,
): PlanNote[] {
  if (untagged.images.length === 0) return [];
  const named = new Set(collidingStrangers(decided, strangers).map((image) => image.id));
  const names = new Set(publishedNames(def));
  const identity = identityName(def);
  return untagged.images
    .filter((image) => !named.has(image.id))
    .flatMap((image) => {
      const byIdentity = image.image_name === identity;
      if (!byIdentity && !(image.name !== null && names.has(image.name))) return [];
      const looks = byIdentity ? `carries image_name ${identity}` : `is called ${image.name}`;
      const tag = untagged.tag;
      const message = `image ${image.id} ${looks} but lacks the tag ${tag}: left alone (tag it to have it managed)`;
      return [note('warn', message, image.name ?? image.id)];
    });
}

/** Rule 12: an image the tool does not manage, shown to users under a name this plan gives an image. */
function nameCollisions(decided: Target[], strangers: GlanceImage[], note: Note): PlanNote[] {
  return collidingStrangers(decided, strangers).map((image) =>
    note('warn', `image ${image.id} (not managed) is also called ${image.name}: users see two`, image.name),
  );
}

function collidingStrangers(decided: Target[], strangers: GlanceImage[]): GlanceImage[] {
  if (strangers.length === 0) return [];
  const given = new Set(
    decided.flatMap((target) => (target.fate === 'none' || target.fate === 'delete' ? [] : [target.desired.name])),
  );
  return strangers.filter((image) => image.name !== null && given.has(image.name));
}
