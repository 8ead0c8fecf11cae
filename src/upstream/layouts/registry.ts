import type { ImageDefinition } from '../../definitions/types.js';
import { maskUserinfo } from '../../net/redact.js';
import { checksumFile } from './checksum-file.js';
import { datedFolders } from './dated-folders.js';
import type { SourceKey, UpstreamLayout, UpstreamSource } from './layout.js';
import { marker } from './marker.js';
import { assetProblem, releaseFeed } from './release-feed.js';
import { sidecar } from './sidecar.js';

/**
 * Every upstream layout, most specific first: a definition that names none with `upstream_layout` gets the
 * first that recognises its URLs. Adding a layout: its file, its test and a line here.
 */
export const LAYOUTS: readonly UpstreamLayout[] = [releaseFeed, sidecar, datedFolders, checksumFile, marker];

/** How discovery reads a definition's upstream, or why it cannot; `tracks`: its `upstream_tracks`. */
export type DefinitionUpstream = { layout: string; source: UpstreamSource; tracks?: string[] } | { problem: string };

export function layoutNamed(name: string): UpstreamLayout {
  const layout = LAYOUTS.find((candidate) => candidate.name === name);
  if (layout === undefined) throw new Error(`upstream layout ${name} is named but not in the registry`);
  return layout;
}

/** Why `upstream_layout` cannot be read: a name no layout of the registry has. Undefined when it can. */
export function unknownLayout(named: string | undefined): string | undefined {
  if (named === undefined || LAYOUTS.some((layout) => layout.name === named)) return undefined;
  return `must be one of ${layoutNames()}; got "${named}"`;
}

function layoutNames(): string {
  return LAYOUTS.map((layout) => layout.name).join(', ');
}

/** The layout a source's URLs have the shape of; undefined when none recognises them. */
export function layoutOf(source: UpstreamSource): string | undefined {
  return LAYOUTS.find((layout) => layout.recognises(source))?.name;
}

/**
 * The upstream a definition names: the layout it names, else the one its keys tell. Undefined when it names
 * none (no `upstream_layout`, and not `latest_url` with `latest_checksum_url` or `latest_asset`).
 */
export function upstreamOf(
  def: Pick<ImageDefinition, SourceKey | 'upstream_layout' | 'upstream_tracks'>,
): DefinitionUpstream | undefined {
  const { latest_url: latestUrl, latest_checksum_url: latestChecksumUrl, latest_asset: asset } = def;
  const named = def.upstream_layout;
  const unknown = unknownLayout(named);
  if (unknown !== undefined) return { problem: `upstream_layout ${unknown}` };
  if (named !== undefined) {
    const { reads } = layoutNamed(named);
    const missing = reads.find((key) => def[key] === undefined);
    if (missing !== undefined)
      return { problem: `upstream_layout ${named} reads ${reads.join(' and ')}; ${missing} is missing` };
  } else if (latestUrl === undefined || (latestChecksumUrl === undefined && asset === undefined)) {
    return asset === undefined ? undefined : { problem: 'latest_asset names a release asset; latest_url is missing' };
  }
  const problem = asset === undefined ? undefined : assetProblem(asset);
  if (problem !== undefined) return { problem: `latest_asset ${problem}` };
  const source: UpstreamSource = {
    latestUrl: latestUrl as string,
    ...(latestChecksumUrl && { latestChecksumUrl }),
    ...(asset && { asset }),
  };
  const layout = named ?? layoutOf(source);
  if (layout === undefined) return { problem: unrecognised(source) };
  return def.upstream_tracks === undefined ? { layout, source } : tracked(layout, source, def.upstream_tracks);
}

/** `upstream_tracks` is read by a layout whose builds name their version; for any other it is a problem. */
function tracked(layout: string, source: UpstreamSource, tracks: string[]): DefinitionUpstream {
  if (layoutNamed(layout).tracks) return { layout, source, tracks };
  const readers = LAYOUTS.filter((candidate) => candidate.tracks).map((candidate) => candidate.name);
  return { problem: `upstream_tracks is read by upstream_layout ${readers.join(', ')} only; name it` };
}

/** Why a source has no layout: a definition whose URLs no layout recognises must name one. */
export function unrecognised(source: UpstreamSource): string {
  return (
    `no upstream layout recognises latest_url ${maskUserinfo(source.latestUrl)} with latest_checksum_url ` +
    `${maskUserinfo(source.latestChecksumUrl ?? '(none)')}; name one with upstream_layout (${layoutNames()})`
  );
}
