import type { ImageDefinition } from '../definitions/types.js';
import type { Slot } from './inventory.js';
import type { Target } from './targets.js';
import type { PlanNote } from './types.js';

/** What the plan tells the operator about one definition: images left alone, versions not imported, retention. */
export function notesOf(def: ImageDefinition, slots: Slot[], decided: Target[]): PlanNote[] {
  const note = (level: PlanNote['level'], message: string, image?: string | null): PlanNote => ({
    level,
    definition: def.name,
    ...(image ? { image } : {}),
    message,
  });
  const notes: PlanNote[] = [];
  for (const slot of slots) {
    const [first] = slot.ignored;
    if (slot.image) {
      for (const extra of slot.ignored) {
        const message =
          `image ${extra.id} (${extra.status}) also claims version ${slot.version}; ` +
          `using ${slot.image.id}, leaving this one alone`;
        notes.push(note('warn', message, extra.name ?? extra.id));
      }
    } else if (first) {
      const ids = slot.ignored.map((image) => image.id).join(', ');
      const status = `${first.status} image(s) (${ids})`;
      const message = `version ${slot.version} exists only as ${status}: left alone, delete by hand`;
      notes.push(note('warn', message, first.name ?? first.id));
    }
  }
  for (const target of decided) {
    if (target.fate === 'none' && target.why)
      notes.push(note('info', `version ${target.slot.version} not imported: ${target.why}`));
    if (target.fate === 'keep' && target.minDiskRaised) {
      const { from, to } = target.minDiskRaised;
      notes.push(
        note(
          'warn',
          `min_disk ${from} is too small for the stored image; using ${to}`,
          target.image.name ?? target.image.id,
        ),
      );
    }
    if ((target.fate === 'keep' || target.fate === 'resume') && target.why)
      notes.push(note('info', target.why, target.image.name ?? target.image.id));
  }
  return notes;
}
