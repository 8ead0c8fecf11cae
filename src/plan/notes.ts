import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { type Slot, whyKept } from './inventory.js';
import type { Deleted, Kept, Target } from './targets.js';
import type { PlanNote } from './types.js';

type Note = (level: PlanNote['level'], message: string, image?: string | null) => PlanNote;

/**
 * What the plan tells the operator about one definition: images left alone, duplicates retired, versions not
 * imported, retention, and images the tool does not manage that share a name it gives out (`strangers`).
 */
export function notesOf(
  def: ImageDefinition,
  slots: Slot[],
  decided: Target[],
  strangers: GlanceImage[] = [],
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
    ...nameCollisions(decided, strangers, note),
  ];
}

/** Rule 8: images of a version that are neither worked with nor retired. */
function leftAlone(slot: Slot, note: Note): PlanNote[] {
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
  const images = `${first.status} image(s) (${slot.ignored.map((image) => image.id).join(', ')})`;
  const message = `version ${slot.version} exists only as ${images}: left alone, delete by hand`;
  return [note('warn', message, first.name ?? first.id)];
}

function targetNotes(def: ImageDefinition, target: Target, note: Note): PlanNote[] {
  if (target.fate === 'none')
    return target.why ? [note('info', `version ${target.slot.version} not imported: ${target.why}`)] : [];
  if ((target.fate === 'keep' || target.fate === 'delete') && target.duplicateOf)
    return [duplicateNote(def, target, note)];
  const notes: PlanNote[] = [];
  if (target.fate === 'keep' && target.minDiskRaised) {
    const { from, to } = target.minDiskRaised;
    const message = `min_disk ${from} is too small for the stored image; using ${to}`;
    notes.push(note('warn', message, target.image.name ?? target.image.id));
  }
  if ((target.fate === 'keep' || target.fate === 'resume') && target.why)
    notes.push(note('info', target.why, target.image.name ?? target.image.id));
  return notes;
}

/** Rule 11: which image of the version is kept and why, and what becomes of the duplicate. */
function duplicateNote(def: ImageDefinition, target: Kept | Deleted, note: Note): PlanNote {
  const { image, slot } = target;
  const keeper = target.duplicateOf as GlanceImage;
  const why = whyKept(def, slot.version, keeper, image);
  const fate = target.fate === 'delete' ? `deleted (${target.why})` : target.why;
  const message =
    `image ${image.id} also claims version ${slot.version}; keeping ${keeper.id} (${why}), ` +
    `this one is retired as an outdated duplicate${fate ? `: ${fate}` : ''}`;
  return note('warn', message, image.name ?? image.id);
}

/** Rule 12: an image the tool does not manage, shown to users under a name this plan gives an image. */
function nameCollisions(decided: Target[], strangers: GlanceImage[], note: Note): PlanNote[] {
  const given = new Set(
    decided.flatMap((target) => (target.fate === 'none' || target.fate === 'delete' ? [] : [target.desired.name])),
  );
  return strangers
    .filter((image) => image.name !== null && given.has(image.name))
    .map((image) =>
      note('warn', `image ${image.id} (not managed) is also called ${image.name}: users see two`, image.name),
    );
}
