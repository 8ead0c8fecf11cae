import { naturalCompare } from '../definitions/natural-sort.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { imagesOf } from './decisions.js';
import type { Plan, PlanNote } from './types.js';
import { plural } from '../util/plural.js';

const DAY_MS = 86_400_000;

/**
 * OIM's --check-age: managed images whose image_build_date lies more than `maxAgeDays` before the newest
 * build date their definition names. A warning for the operator; nothing is changed. The images are the ones
 * the plan of `definitions` found each definition owns, in the order they were `observed`.
 */
export function tooOldImages(
  definitions: ImageDefinition[],
  plan: Pick<Plan, 'definitions'>,
  observed: GlanceImage[],
  maxAgeDays: number,
): PlanNote[] {
  const byDefinition = ownedInObservedOrder(plan, observed);
  const notes: PlanNote[] = [];
  for (const def of definitions) {
    const newest = def.versions
      .map((version) => version.build_date)
      .filter((date): date is string => date !== undefined)
      .sort(naturalCompare)
      .at(-1);
    if (!newest) continue;
    for (const image of byDefinition.get(def.name) ?? []) {
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

function ownedInObservedOrder(plan: Pick<Plan, 'definitions'>, observed: GlanceImage[]): Map<string, GlanceImage[]> {
  const owner = new Map<GlanceImage, string>();
  for (const entry of plan.definitions) for (const image of imagesOf(entry)) owner.set(image, entry.definition);
  const byDefinition = new Map<string, GlanceImage[]>();
  for (const image of observed) {
    const definition = owner.get(image);
    if (definition === undefined) continue;
    const list = byDefinition.get(definition);
    if (list) list.push(image);
    else byDefinition.set(definition, [image]);
  }
  return byDefinition;
}
