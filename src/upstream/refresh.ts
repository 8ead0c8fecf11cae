import pLimit from 'p-limit';
import type { FetchLike } from '../net/fetch.js';
import type { ImageDefinition } from '../definitions/types.js';
import { buildDate, findNewestBuild, layoutOf, type Layout } from './discover.js';
import { UpstreamError, UpstreamHttp } from './http.js';
import { decideUpdate, listsBuild, type FoundBuild, type UpdateDecision } from './next-version.js';

/** What discovery found for one definition that names its upstream (`latest_url` and `latest_checksum_url`). */
export interface DefinitionUpdate {
  definition: ImageDefinition;
  layout: Layout;
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
}

export function hasUpstream(
  def: ImageDefinition,
): def is ImageDefinition & { latest_url: string; latest_checksum_url: string } {
  return def.latest_url !== undefined && def.latest_checksum_url !== undefined;
}

/** Asks every definition's upstream for its newest build, a few at once; a failure stays with its definition. */
export async function discoverUpdates(
  definitions: ImageDefinition[],
  options: DiscoveryOptions,
): Promise<DefinitionUpdate[]> {
  const limit = pLimit(options.parallel);
  return Promise.all(definitions.filter(hasUpstream).map((def) => limit(() => discoverOne(def, options))));
}

async function discoverOne(
  def: ImageDefinition & { latest_url: string; latest_checksum_url: string },
  options: DiscoveryOptions,
): Promise<DefinitionUpdate> {
  const http = new UpstreamHttp(options.fetch, { timeoutMs: options.timeoutMs });
  const source = { latestUrl: def.latest_url, latestChecksumUrl: def.latest_checksum_url };
  const result: DefinitionUpdate = { definition: def, layout: layoutOf(source), requests: 0 };
  try {
    const build = await findNewestBuild(source, http);
    result.offered = { url: build.url, checksum: build.checksum, ...(build.date ? { date: build.date } : {}) };
    const listed = listsBuild(def, build);
    if (listed) {
      result.decision = { kind: 'current', version: listed.version };
    } else {
      const date = await buildDate(build, http);
      result.offered.date = date;
      result.decision = decideUpdate(def, { url: build.url, checksum: build.checksum, date });
    }
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    result.error = error.message;
  }
  result.requests = http.requests;
  return result;
}
