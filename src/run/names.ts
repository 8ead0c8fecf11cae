import { imagesNamed } from '../apply/observe.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';
import { publishedNames } from '../definitions/names.js';
import { type PlanInput, plan as makePlan } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';

/** A plan, and the images called like managed ones that Glance was asked for to make it. */
export interface PlanWithNames {
  plan: Plan;
  unmanagedNamed: GlanceImage[];
}

/**
 * The plan, with rule 12's warnings about unmanaged images that share a name the plan gives out. Glance is
 * asked for images of those names only when the plan gives out a name (an import, a rename): planning is pure
 * and cheap, so a plan without such actions is kept as it is, and a run with nothing to do stays at the
 * requests that observe the cloud. With such actions, the names are asked for and the plan made again.
 */
export async function planWithNames(
  glance: GlanceClient,
  input: Omit<PlanInput, 'unmanagedNamed'>,
): Promise<PlanWithNames> {
  const first = makePlan({ ...input, unmanagedNamed: [] });
  if (!givesOutNames(first)) return { plan: first, unmanagedNamed: [] };
  const unmanagedNamed = await imagesNamed(glance, input.definitions.flatMap(publishedNames));
  return { plan: makePlan({ ...input, unmanagedNamed }), unmanagedNamed };
}

/**
 * The plan, having asked Glance first for every image called like a managed one (one listing per 40 names), as
 * `status` does: a plan's actions do not depend on them, only its warnings do, and status names every collision.
 */
export async function planSeeingEveryName(
  glance: GlanceClient,
  input: Omit<PlanInput, 'unmanagedNamed'>,
): Promise<PlanWithNames> {
  const unmanagedNamed = await imagesNamed(glance, namesToAsk(input.definitions, input.observed));
  return { plan: makePlan({ ...input, unmanagedNamed }), unmanagedNamed };
}

/** Whether an action of the plan gives an image a name: an import, a rename, or a resumed import's rename. */
export function givesOutNames(plan: Plan): boolean {
  return plan.actions.some(
    (action) =>
      action.kind === 'import' ||
      action.kind === 'rename' ||
      ('changes' in action && action.changes.some((change) => change.field === 'name')),
  );
}

/**
 * The names to ask Glance for (`imagesNamed`) to find the images that collide with managed ones: every name the
 * definitions give out, and every name a managed image carries now.
 */
export function namesToAsk(definitions: ImageDefinition[], observed: GlanceImage[]): string[] {
  const names = new Set(definitions.flatMap(publishedNames));
  for (const image of observed) if (image.name) names.add(image.name);
  return [...names];
}
