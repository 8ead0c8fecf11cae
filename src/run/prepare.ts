import type { Clock } from '../util/clock.js';
import { type Observation, observe } from '../apply/observe.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { FetchLike } from '../net/fetch.js';
import type { Session } from '../openstack/identity.js';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';
import { tooOldImages } from '../plan/age.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import { definitionsForRun, type RunDefinitions } from '../upstream/for-run.js';
import { planSeeingEveryName, planWithNames } from './names.js';
import { dayOf, planOptionsOf, type RunOptions } from './options.js';

/** The cloud a run reads: who the token is, and its Glance. */
export interface RunCloud {
  session: Session;
  glance: GlanceClient;
}

export interface RunRequest {
  cloud: RunCloud;
  /** The definitions selected for the run (loaded, checked and selected by the caller). */
  selected: ImageDefinition[];
  options: RunOptions;
  /** How upstream indexes are read (--update, `version: latest`). */
  fetch: FetchLike;
  /** The caller's clock: today, as the plan dates uuid_validity. */
  now: Date;
  /** The clock upstream discovery reads today from (a build dated after tomorrow is refused); the system's. */
  clock?: Clock;
  /**
   * `run` (a run or --dry-run): Glance is asked for images called like managed ones only when the plan gives
   * out a name, and --check-age applies. `status`: asked for every such name, and --check-age does not apply.
   */
  purpose: 'run' | 'status';
  /** Told as the run goes (the log): the cloud observed, then the upstreams asked. */
  report?: {
    observed?: (observation: Observation) => void;
    discovered?: (discovery: RunDefinitions) => void;
  };
}

/** What a run reads and decides before it changes anything. */
export interface PreparedRun {
  observation: Observation;
  /** The definitions planned (upstreams asked), what --update found, the upstreams that failed. */
  discovery: RunDefinitions;
  planOptions: PlanOptions;
  /** Images of any owner called like a managed image, as Glance was asked for them (rule 12). */
  unmanagedNamed: GlanceImage[];
  plan: Plan;
}

/**
 * Observe, discover, plan: what a run, a --dry-run and `status` share. The cloud is observed (the managed
 * images, the import methods), upstreams are asked (`definitionsForRun`), and the plan is made with the names
 * Glance knows. Nothing here changes the cloud or a file.
 */
export async function prepareRun(request: RunRequest): Promise<PreparedRun> {
  const { cloud, options } = request;
  const observation = await observe(cloud, options.tag);
  request.report?.observed?.(observation);
  const projectId = observation.projectId ? { projectId: observation.projectId } : {};
  const discovery = await definitionsForRun(request.selected, observation.images, {
    update: options.update,
    tag: options.tag,
    ...projectId,
    fetch: request.fetch,
    parallel: options.parallel,
    timeoutMs: options.timeout * 1000,
    ...(request.clock && { clock: request.clock }),
  });
  request.report?.discovered?.(discovery);
  const planOptions = planOptionsOf(options, dayOf(request.now));
  const input = {
    definitions: discovery.definitions,
    observed: observation.images,
    ...projectId,
    options: planOptions,
  };
  const planned =
    request.purpose === 'status'
      ? await planSeeingEveryName(cloud.glance, input)
      : await planWithNames(cloud.glance, input);
  const { plan } = planned;
  if (request.purpose === 'run' && options.checkAge) {
    plan.notes.push(...tooOldImages(discovery.definitions, plan, observation.images, options.maxAge));
  }
  return { observation, discovery, planOptions, unmanagedNamed: planned.unmanagedNamed, plan };
}
