import pLimit from 'p-limit';
import type { FetchLike } from '../net/fetch.js';
import type { ImageDefinition } from '../definitions/types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { plural } from '../util/plural.js';
import { latestBuildDay, ymdToIsoDate } from './dates.js';
import { buildDate, findNewestBuild } from './discover.js';
import { type DigestLimits, UpstreamError, UpstreamHttp } from './http.js';
import { upstreamOf, type DefinitionUpstream } from './layouts/registry.js';
import { trackedUpstreams } from './tracks.js';
import { decideUpdate, futureVersions, listsBuild, type FoundBuild, type UpdateDecision } from './next-version.js';

/** What discovery found for one definition that names its upstream (`latest_url` and `latest_checksum_url`). */
export interface DefinitionUpdate {
  definition: ImageDefinition;
  /** Undefined when the definition names no layout and none recognises its URLs (see `error`). */
  layout?: string;
  /** The track of `upstream_tracks` this entry is (a definition with tracks has one entry per track). */
  track?: string;
  /** Upstream's newest build; its date is known unless the definition already lists it. */
  offered?: Omit<FoundBuild, 'date'> & { date?: string };
  /** Upstream published no checksum of the new build: this tool computed it from the artifact. */
  checksumComputed?: boolean;
  decision?: UpdateDecision;
  /** Why this definition could not be brought up to date (the message names the URL). */
  error?: string;
  /** The versions it holds dated after tomorrow, which no build can be, and what to do about them. */
  warning?: string;
  requests: number;
}

export interface DiscoveryOptions {
  fetch: FetchLike;
  /** Definitions asked at once. */
  parallel: number;
  timeoutMs: number;
  /** Today, as a build date is checked against it (a build dated after tomorrow is refused); default the system's. */
  clock?: Clock;
  /**
   * Whether a new build whose upstream publishes no checksum is read once to compute one (`update`, which
   * writes it down), within these bounds; a run's --update does not (it would read it again every run).
   */
  computeChecksums?: DigestLimits;
}

/** How much of an artifact `update` reads to compute a checksum upstream does not publish, and for how long. */
export const COMPUTE_LIMITS: DigestLimits = { maxBytes: 32 * 1024 ** 3, timeoutMs: 60 * 60 * 1000 };

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
function refuseFuture(date: string, url: string, latestDay: string): void {
  if (date <= latestDay) return;
  const problem = `offers a build dated ${ymdToIsoDate(date)}, after tomorrow (${ymdToIsoDate(latestDay)}): not taken`;
  throw new UpstreamError(url, problem);
}

/** Versions already held that are dated after tomorrow: left in the file (the operator wrote them), not counted. */
function futureWarning(def: ImageDefinition, latestDay: string): string | undefined {
  const future = futureVersions(def, latestDay);
  if (future.length === 0) return undefined;
  const which = future.map((entry) => `${entry.version} (line ${entry.line})`).join(', ');
  return (
    `${def.file}: ${def.name} holds ${plural(future.length, 'version')} dated after tomorrow ` +
    `(${ymdToIsoDate(latestDay)}): ${which}. No real build is dated so: it does not count as the newest build ` +
    'and upstream builds are still taken; correct its build_date or remove it (until then it sorts as the newest)'
  );
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
  const latestDay = latestBuildDay((options.clock ?? systemClock).now());
  const warning = futureWarning(def, latestDay);
  const result: DefinitionUpdate = { definition: def, layout, requests: 0, ...(warning && { warning }) };
  try {
    const build = await findNewestBuild(source, http, layout);
    const { url, checksum, version } = build;
    result.offered = {
      url,
      ...(checksum && { checksum }),
      ...(build.date && { date: build.date }),
      ...(version && { version }),
    };
    const listed = listsBuild(def, build);
    if (listed) {
      result.decision = { kind: 'current', version: listed.version };
    } else {
      const date = await buildDate(build, http);
      result.offered.date = date;
      refuseFuture(date, build.url, latestDay);
      const limits = options.computeChecksums;
      if (checksum === undefined && limits !== undefined) {
        result.offered.checksum = await http.sha256Of(url, {
          ...limits,
          ...(build.size !== undefined && { size: build.size }),
        });
        result.checksumComputed = true;
      }
      result.decision = decideUpdate(def, { ...result.offered, date }, latestDay);
    }
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    result.error = error.message;
  }
  result.requests = http.requests;
  return result;
}
