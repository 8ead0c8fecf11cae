import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { DefinitionUpstream } from './layouts/registry.js';

/** Where each of `upstream_tracks` goes in `latest_url`. */
export const TRACK_PLACEHOLDER = '{track}';

/** One upstream to ask: a definition's only one, or one of its tracks, with the versions it decides on. */
export interface TrackedUpstream {
  definition: ImageDefinition;
  upstream: DefinitionUpstream;
  /** The definition as the track sees it: only the versions of that track (all of them without tracks). */
  held: ImageDefinition;
  track?: string;
}

/**
 * Whether a written version is of a track: its label, less a leading `v`, is the track or continues it after
 * a `.` or `-` (`v1.33.5` is of 1.33, `v1.330.1` is not).
 */
export function ofTrack(version: string, track: string): boolean {
  const label = version.replace(/^v/, '');
  return label === track || label.startsWith(`${track}.`) || label.startsWith(`${track}-`);
}

/** The versions of a track, in the definition's order. */
export function trackVersions(def: ImageDefinition, track: string): VersionDefinition[] {
  return def.versions.filter((version) => ofTrack(version.version, track));
}

/**
 * What discovery asks for a definition: its upstream, or with `upstream_tracks` one upstream per track, its
 * `{track}` filled in. A track decides on its own versions only: the newest it holds, the oldest it drops.
 */
export function trackedUpstreams(definition: ImageDefinition, upstream: DefinitionUpstream): TrackedUpstream[] {
  if ('problem' in upstream || upstream.tracks === undefined) return [{ definition, upstream, held: definition }];
  const { layout, source, tracks } = upstream;
  return tracks.map((track) => {
    const latestUrl = source.latestUrl.replaceAll(TRACK_PLACEHOLDER, track);
    const held = { ...definition, versions: trackVersions(definition, track) };
    return { definition, upstream: { layout, source: { ...source, latestUrl, track } }, held, track };
  });
}

/** The versions an entry of discovery decided on: its track's, else all of the definition's. */
export function heldVersions(def: ImageDefinition, track: string | undefined): VersionDefinition[] {
  return track === undefined ? def.versions : trackVersions(def, track);
}

/** A definition's name as messages show one of its tracks: `ubuntu-capi-image (track 1.33)`. */
export function trackedName(name: string, track: string | undefined): string {
  return track === undefined ? name : `${name} (track ${track})`;
}
