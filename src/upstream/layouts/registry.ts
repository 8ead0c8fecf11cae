import type { ImageDefinition } from '../../definitions/types.js';
import { maskUserinfo } from '../../net/redact.js';
import { checksumFile } from './checksum-file.js';
import { datedFolders } from './dated-folders.js';
import type { UpstreamLayout, UpstreamSource } from './layout.js';
import { marker } from './marker.js';
import { sidecar } from './sidecar.js';

/**
 * Every upstream layout, most specific first: a definition that names none with `upstream_layout` gets the
 * first that recognises its URLs. Adding a layout: its file, its test and a line here.
 */
export const LAYOUTS: readonly UpstreamLayout[] = [sidecar, datedFolders, checksumFile, marker];

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
 * The upstream a definition names: the layout it names, else the one its URLs' shape tells. Undefined when it
 * names none (no `upstream_layout`, and not both URLs, which every layout reads).
 */
export function upstreamOf(
  def: Pick<ImageDefinition, 'latest_url' | 'latest_checksum_url' | 'upstream_layout' | 'upstream_tracks'>,
): DefinitionUpstream | undefined {
  const { latest_url: latestUrl, latest_checksum_url: latestChecksumUrl, upstream_layout: named } = def;
  const unknown = unknownLayout(named);
  if (unknown !== undefined) return { problem: `upstream_layout ${unknown}` };
  if (named !== undefined && layoutNamed(named).latestUrlOnly) return latestUrlOnly(def, named);
  if (def.upstream_tracks !== undefined) {
    const readers = LAYOUTS.filter((layout) => layout.latestUrlOnly).map((layout) => layout.name);
    return { problem: `upstream_tracks is read by upstream_layout ${readers.join(', ')} only; name it` };
  }
  if (latestUrl === undefined || latestChecksumUrl === undefined) {
    if (named === undefined) return undefined;
    const missing = latestUrl === undefined ? 'latest_url' : 'latest_checksum_url';
    return { problem: `upstream_layout ${named} reads latest_url and latest_checksum_url; ${missing} is missing` };
  }
  const source = { latestUrl, latestChecksumUrl };
  const layout = named ?? layoutOf(source);
  return layout === undefined ? { problem: unrecognised(source) } : { layout, source };
}

/** A layout that reads latest_url alone: a checksum URL is refused rather than left unread. */
function latestUrlOnly(
  def: Pick<ImageDefinition, 'latest_url' | 'latest_checksum_url' | 'upstream_tracks'>,
  layout: string,
) {
  if (def.latest_url === undefined) return { problem: `upstream_layout ${layout} reads latest_url, which is missing` };
  if (def.latest_checksum_url !== undefined) {
    const why = 'the checksum is the .CHECKSUM file beside the file the marker names';
    return { problem: `upstream_layout ${layout} reads latest_url only (${why}); remove latest_checksum_url` };
  }
  const tracks = def.upstream_tracks;
  return { layout, source: { latestUrl: def.latest_url }, ...(tracks !== undefined && { tracks }) };
}

/** Why a source has no layout: a definition whose URLs no layout recognises must name one. */
export function unrecognised(source: UpstreamSource): string {
  return (
    `no upstream layout recognises latest_url ${maskUserinfo(source.latestUrl)} with latest_checksum_url ` +
    `${maskUserinfo(source.latestChecksumUrl ?? '(none)')}; name one with upstream_layout (${layoutNames()})`
  );
}
