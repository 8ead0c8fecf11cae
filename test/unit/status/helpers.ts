import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import type { StatusView } from '../../../src/status/types.js';
import { statusView } from '../../../src/status/view.js';
import { unclaimedImages } from '../../../src/definitions/identify.js';
import { options, PROJECT, run, TAG } from '../plan/helpers.js';

export { stranger } from '../plan/helpers.js';

export const NOW = new Date('2025-06-15T12:00:00Z');

export interface StatusCase {
  opts?: Partial<PlanOptions>;
  unmanagedNamed?: GlanceImage[];
  /** Every loaded definition; default the planned ones. */
  all?: ImageDefinition[];
}

/** The status of `definitions` against `observed`, with the plan the planner makes of exactly them. */
export function statusOf(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  { opts = {}, unmanagedNamed = [], all = definitions }: StatusCase = {},
): StatusView {
  const plan = run(definitions, observed, opts, { unmanagedNamed });
  return statusView({
    cloud: 'test',
    definitions,
    observed,
    unaccounted: unclaimedImages(all, observed, TAG, PROJECT),
    unmanagedNamed,
    projectId: PROJECT,
    options: options(opts),
    plan,
    now: NOW,
  });
}
