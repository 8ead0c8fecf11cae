import { naturalCompare } from '../definitions/natural-sort.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { assignOwnership } from './identify.js';
import type { PlanNote } from './types.js';
import { plural } from '../util/plural.js';

const DAY_MS = 86_400_000;

/**
 * OIM's --check-age: managed images whose image_build_date lies more than `maxAgeDays` before the newest
 * build date their definition names. A warning for the operator; nothing is changed.
 */
export function tooOldImages(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  tag: string,
  maxAgeDays: number,
  projectId?: string,
): PlanNote[] {
  const { byDefinition } = assignOwnership(definitions, observed, tag, projectId);
  const notes: PlanNote[] = [];
  for (const def of definitions) {
    const newest = def.versions
      .map((version) => version.build_date)
      .filter((date): date is string => date !== undefined)
      .sort(naturalCompare)
      .at(-1);
    if (!newest) continue;
    for (const { image } of byDefinition.get(def.name) ?? []) {
      const built = typeof image.image_build_date === 'string' ? image.image_build_date.slice(0, 10) : undefined;
      if (!built) continue;
      const days = Math.round((Date.parse(newest) - Date.parse(built)) / DAY_MS);
      if (days > maxAgeDays) {
        notes.push({
          level: 'warn',
          definition: def.name,
          image: image.name ?? image.id,
          message:
            `built ${built}, ${plural(days, 'day')} before the newest definition (${newest}); ` +
            `older than --max-age ${maxAgeDays}`,
        });
      }
    }
  }
  return notes;
}
