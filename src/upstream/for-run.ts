import pLimit from 'p-limit';
import type { ImageDefinition } from '../definitions/types.js';
import type { FetchLike } from '../net/fetch.js';
import type { GlanceImage } from '../openstack/image.js';
import type { Clock } from '../util/clock.js';
import { assignOwnership } from '../definitions/identify.js';
import { UpstreamError, UpstreamHttp } from './http.js';
import { latestPointer } from '../definitions/latest-version.js';
import { resolveLatestPointer } from './latest-pointer.js';
import { withNewVersion } from './next-version.js';
import { discoverUpdates, type DefinitionUpdate } from './refresh.js';

export interface RunDefinitions {
  /** The definitions to plan, with discovered builds and `latest` pointers made concrete. */
  definitions: ImageDefinition[];
  /** What `--update` found, per definition that names its upstream. */
  discovered: DefinitionUpdate[];
  /** Definitions whose upstream failed: for --update planned as written; with a `latest` pointer left out. */
  failures: Array<{ definition: string; message: string }>;
}

export interface RunDiscoveryOptions {
  /** --update: discover new builds in memory. */
  update: boolean;
  tag: string;
  projectId?: string;
  fetch: FetchLike;
  parallel: number;
  timeoutMs: number;
  /** Today, as a build date is checked against it (after tomorrow is refused); default the system's. */
  clock?: Clock;
}

/**
 * The definitions a run plans, after asking upstreams: `--update` adds each definition's newest build as
 * `update` would write it; a `version: latest` pointer becomes the version of the build it points at now.
 * Nothing here changes the cloud or a file.
 */
export async function definitionsForRun(
  selected: ImageDefinition[],
  observed: GlanceImage[],
  options: RunDiscoveryOptions,
): Promise<RunDefinitions> {
  const failures: RunDefinitions['failures'] = [];
  const discovered = options.update ? await discoverUpdates(selected, options) : [];
  // A definition with upstream_tracks has an entry per track: each new build goes in, each drops its own.
  const byName = new Map<string, DefinitionUpdate[]>();
  for (const entry of discovered)
    byName.set(entry.definition.name, [...(byName.get(entry.definition.name) ?? []), entry]);
  let definitions = selected.map((def) => {
    let planned = def;
    for (const found of byName.get(def.name) ?? []) {
      if (found.error) failures.push({ definition: def.name, message: found.error });
      if (found.decision?.kind === 'new') planned = withNewVersion(planned, found.decision);
    }
    return planned;
  });
  definitions = await resolvePointers(definitions, observed, options, failures);
  return { definitions, discovered, failures };
}

async function resolvePointers(
  definitions: ImageDefinition[],
  observed: GlanceImage[],
  options: RunDiscoveryOptions,
  failures: RunDefinitions['failures'],
): Promise<ImageDefinition[]> {
  if (!definitions.some((def) => latestPointer(def))) return definitions;
  const ownership = assignOwnership(definitions, observed, options.tag, options.projectId);
  const limit = pLimit(options.parallel);
  const resolved = await Promise.all(
    definitions.map((def) =>
      limit(async () => {
        try {
          const http = new UpstreamHttp(options.fetch, {
            timeoutMs: options.timeoutMs,
            ...(options.clock && { clock: options.clock }),
          });
          const owned = ownership.byDefinition.get(def.name) ?? [];
          return await resolveLatestPointer(def, owned, http, options.clock);
        } catch (error) {
          if (!(error instanceof UpstreamError)) throw error;
          const message = `version latest: ${error.message}; its images are left as they are`;
          failures.push({ definition: def.name, message });
          return undefined;
        }
      }),
    ),
  );
  return resolved.filter((def): def is ImageDefinition => def !== undefined);
}
