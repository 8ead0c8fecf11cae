import type { Checksum } from '../../definitions/types.js';
import { dateInName } from '../dates.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';

/** Where a definition's upstream publishes: OIM's image-level `latest_url` and `latest_checksum_url`. */
export interface UpstreamSource {
  latestUrl: string;
  /** Absent only for a layout that reads `latest_url` alone (`latestUrlOnly`). */
  latestChecksumUrl?: string;
  /** The track (`upstream_tracks`) this source is, its `{track}` already put into `latestUrl`. */
  track?: string;
}

/** The newest build upstream publishes: a pinned URL, its checksum, and its date when the URL tells it. */
export interface UpstreamBuild {
  layout: string;
  url: string;
  checksum: Checksum;
  /** YYYYMMDD from the dated folder or the file name; otherwise the caller asks Last-Modified. */
  date?: string;
  /** The version the upstream names the build by (`v1.33.5`); absent, the build's date labels it. */
  version?: string;
}

/** A build as a layout finds it; discovery adds which layout found it. */
export type NewestBuild = Omit<UpstreamBuild, 'layout'>;

/** One way an upstream publishes its builds (one file per layout in this folder, listed in registry.ts). */
export interface UpstreamLayout {
  readonly name: string;
  /** It reads `latest_url` alone (a marker file), and takes `upstream_tracks`; the others read both URLs. */
  readonly latestUrlOnly?: boolean;
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

/** The checksum file URL of a layout that reads one: the registry gives one to every such layout. */
export function checksumUrlOf(source: UpstreamSource): string {
  if (source.latestChecksumUrl === undefined) {
    throw new UpstreamError(source.latestUrl, 'names no latest_checksum_url, which its layout reads');
  }
  return source.latestChecksumUrl;
}
