import pLimit from 'p-limit';
import type { FetchLike } from '../net/fetch.js';
import type { ImageDefinition } from '../definitions/types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { latestBuildDay, ymdToIsoDate } from './dates.js';
import { buildDate, findNewestBuild } from './discover.js';
import { UpstreamError, UpstreamHttp } from './http.js';
import { upstreamOf, type DefinitionUpstream } from './layouts/registry.js';
import { trackedUpstreams } from './tracks.js';
import { decideUpdate, listsBuild, type FoundBuild, type UpdateDecision } from './next-version.js';

/** What discovery found for one definition that names its upstream (`latest_url` and `latest_checksum_url`). */
export interface DefinitionUpdate {
  definition: ImageDefinition;
  /** Undefined when the definition names no layout and none recognises its URLs (see `error`). */
  layout?: string;
  /** The track of `upstream_tracks` this entry is (a definition with tracks has one entry per track). */
  track?: string;
  /** Upstream's newest build; its date is known unless the definition already lists it. */
  offered?: Omit<FoundBuild, 'date'> & { date?: string };
  decision?: UpdateDecision;
  /** Why this definition could not be brought up to date (the message names the URL). */
  error?: string;
  requests: number;
}

export interface DiscoveryOptions {
  fetch: FetchLike;
  /** Definitions asked at once. */
  parallel: number;
  timeoutMs: number;
  /** Today, as a build date is checked against it (a build dated after tomorrow is refused); default the system's. */
  clock?: Clock;
}

/** Whether discovery asks the definition's upstream: the registry reads one from it, or finds it unreadable. */
export function hasUpstream(def: ImageDefinition): boolean {
  return upstreamOf(def) !== undefined;
}

/** Asks every definition's upstream for its newest build, a few at once; a failure stays with its definition. */
export async function discoverUpdates(
  definitions: ImageDefinition[],
  options: DiscoveryOptions,
): Promise<DefinitionUpdate[]> {
  const limit = pLimit(options.parallel);
  const asked = definitions.flatMap((def) => {
    const upstream = upstreamOf(def);
    return upstream === undefined ? [] : trackedUpstreams(def, upstream);
  });
  return Promise.all(
    asked.map(({ definition, upstream, held, track }) =>
      limit(async () => {
        const found = await discoverOne(held, upstream, options);
        return { ...found, definition, ...(track !== undefined && { track }) };
      }),
    ),
  );
}

/** A build dated after tomorrow (UTC) is refused: written, it would hold every real build after it off. */
function refuseFuture(date: string, url: string, clock: Clock): void {
  const latest = latestBuildDay(clock.now());
  if (date <= latest) return;
  const problem = `offers a build dated ${ymdToIsoDate(date)}, after tomorrow (${ymdToIsoDate(latest)}): not taken`;
  throw new UpstreamError(url, problem);
}

async function discoverOne(
  def: ImageDefinition,
  upstream: DefinitionUpstream,
  options: DiscoveryOptions,
): Promise<DefinitionUpdate> {
  if ('problem' in upstream) return { definition: def, error: upstream.problem, requests: 0 };
  const http = new UpstreamHttp(options.fetch, {
    timeoutMs: options.timeoutMs,
    ...(options.clock && { clock: options.clock }),
  });
  const { layout, source } = upstream;
  const result: DefinitionUpdate = { definition: def, layout, requests: 0 };
  try {
    const build = await findNewestBuild(source, http, layout);
    result.offered = { url: build.url, checksum: build.checksum, ...(build.date ? { date: build.date } : {}) };
    const listed = listsBuild(def, build);
    if (listed) {
      result.decision = { kind: 'current', version: listed.version };
    } else {
      const date = await buildDate(build, http);
      result.offered.date = date;
      refuseFuture(date, build.url, options.clock ?? systemClock);
      const { url, checksum, version } = build;
      result.decision = decideUpdate(def, { url, checksum, date, ...(version !== undefined && { version }) });
    }
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    result.error = error.message;
  }
  result.requests = http.requests;
  return result;
}
