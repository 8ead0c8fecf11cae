import type { Checksum } from '../../definitions/types.js';
import { dateInName } from '../../definitions/version-order.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';

/**
 * Where a definition's upstream publishes: OIM's image-level `latest_url` and `latest_checksum_url`, or this
 * tool's `latest_asset` (the file a release feed at `latest_url` attaches to its releases).
 */
export interface UpstreamSource {
  latestUrl: string;
  latestChecksumUrl?: string;
  asset?: string;
  /** The track (`upstream_tracks`) this source is, its `{track}` already put into `latestUrl`. */
  track?: string;
}

/** The definition keys a layout reads, each named as in the YAML. */
export type SourceKey = 'latest_url' | 'latest_checksum_url' | 'latest_asset';

/** The newest build upstream publishes: a pinned URL, its checksum, and its date when the URL tells it. */
export interface UpstreamBuild {
  layout: string;
  url: string;
  /** Absent: upstream publishes none, so `update` computes it from the artifact (see refresh.ts). */
  checksum?: Checksum;
  /** YYYYMMDD from the dated folder or the file name; otherwise the caller asks Last-Modified. */
  date?: string;
  /** The version label upstream gives the build (a release's tag); absent: the build date is the label. */
  version?: string;
  /** The artifact's size in bytes as upstream announces it, which a computed checksum must read exactly. */
  size?: number;
}

/** A build as a layout finds it; discovery adds which layout found it. */
export type NewestBuild = Omit<UpstreamBuild, 'layout'>;

/** One way an upstream publishes its builds (one file per layout in this folder, listed in registry.ts). */
export interface UpstreamLayout {
  readonly name: string;
  /** The keys it reads, all required; the first is always `latest_url`. */
  readonly reads: readonly SourceKey[];
  /** It takes `upstream_tracks`: its builds name their version (`v1.33.5`), so each track tells its own. */
  readonly tracks?: boolean;
  /** Whether a definition that names no layout is laid out this way, told from the shape of its two URLs. */
  recognises(source: UpstreamSource): boolean;
  /** Finds the newest build with one or two small GETs; an UpstreamError names the URL that failed. */
  newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild>;
}

/** The build with the date its file name tells, if it tells one. */
export function withDateFromName(build: NewestBuild, name: string): NewestBuild {
  const date = dateInName(name);
  return date === undefined ? build : { ...build, date };
}

/** The checksum file a layout reads; an UpstreamError when the definition names none. */
export function checksumUrlOf(source: UpstreamSource): string {
  if (source.latestChecksumUrl === undefined)
    throw new UpstreamError(source.latestUrl, 'latest_checksum_url is missing');
  return source.latestChecksumUrl;
}
