import type { ImageDefinition } from '../definitions/types.js';
import { unclaimedImages } from '../definitions/identify.js';
import type { StatusView } from '../status/types.js';
import { statusView } from '../status/view.js';
import { prepareRun, type RunRequest } from './prepare.js';

/**
 * `status` on one cloud: observes as a run does, plans with the options a run would plan with (the plan a
 * `--dry-run` with the same flags prints), and lays the plan out. `all`: every loaded definition, selected or
 * not: a managed image one of them claims is accounted for.
 */
export async function readStatus(
  request: Omit<RunRequest, 'purpose'>,
  { cloud, all }: { cloud: string; all: ImageDefinition[] },
): Promise<StatusView> {
  const prepared = await prepareRun({ ...request, purpose: 'status' });
  const { observation, planOptions, plan } = prepared;
  const projectId = observation.projectId ? { projectId: observation.projectId } : {};
  return statusView({
    cloud,
    definitions: prepared.discovery.definitions,
    observed: observation.images,
    unmanagedNamed: prepared.unmanagedNamed,
    unaccounted: unclaimedImages(all, observation.images, planOptions.tag, observation.projectId),
    ...projectId,
    options: planOptions,
    plan,
    now: request.now,
    upstreamFailures: prepared.discovery.failures,
  });
}
