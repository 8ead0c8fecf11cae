import { toIsoDate } from '../../definitions/schema.js';
import { checksumOf, findEntry, parseChecksumFile, bareDigest } from '../checksums.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';
import { pinUnder, shownName } from '../names.js';
import { splitUrl } from '../split-url.js';
import { ofTrack } from '../tracks.js';
import type { NewestBuild, UpstreamLayout, UpstreamSource } from './layout.js';

/** A marker is one short line; anything much longer is no marker. */
const MAX_MARKER_BYTES = 4096;
// `YYYY-MM-DD PATH`, one line (a final newline allowed), as `printf '%s %s\n'` and `echo` write it.
const MARKER = /^(\d{4}-\d{2}-\d{2})[ \t]+(\S+)[ \t]*(?:\r?\n)?$/;
// A Kubernetes version in a file name: `ubuntu-2404-kube-v1.33.5.qcow2`, `…-v1.33.5-gardener.qcow2`.
const SEMVER_IN_NAME = /(?:^|[-_])v(\d+\.\d+\.\d+)(?=[-_]|\.[A-Za-z]|$)/;

/**
 * `marker`: `latest_url` is a marker file (OSISM's `last-1.33`, `last-2025.2`) holding `YYYY-MM-DD PATH`, the
 * build's day and its file, beside the marker or one folder below it; the file's checksum is in `FILE.CHECKSUM`
 * beside it. The version is the `vX.Y.Z` the file name carries, else the build's day.
 */
export const marker: UpstreamLayout = {
  name: 'marker',
  reads: ['latest_url'],
  tracks: true,

  // Named only (upstream_layout: marker): a marker's URL has no shape that tells it apart.
  recognises: () => false,

  async newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild> {
    const markerUrl = source.latestUrl;
    const { day, path } = readMarker(await http.text(markerUrl), markerUrl);
    const steps = path.split('/');
    if (steps.length > 2) throw new UpstreamError(markerUrl, `names ${shownName(path)}, more than one folder down`);
    const url = pinUnder(`${splitUrl(markerUrl).dir}/`, steps, markerUrl);
    const file = steps.at(-1) as string;
    const checksum = await sidecarDigest(`${url}.CHECKSUM`, file, http);
    const version = SEMVER_IN_NAME.exec(file)?.[1];
    if (source.track !== undefined) checkTrack(markerUrl, file, version, source.track);
    return { url, checksum, date: day.replaceAll('-', ''), ...(version !== undefined && { version: `v${version}` }) };
  },
};

function readMarker(text: string, markerUrl: string): { day: string; path: string } {
  if (Buffer.byteLength(text, 'utf8') > MAX_MARKER_BYTES) {
    throw new UpstreamError(markerUrl, `is longer than ${MAX_MARKER_BYTES} bytes: no marker (YYYY-MM-DD FILE)`);
  }
  const match = MARKER.exec(text.replace(/^\uFEFF/, ''));
  if (match === null) {
    const shown = shownName(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    throw new UpstreamError(markerUrl, `holds ${shown}, not one line "YYYY-MM-DD FILE": not taken`);
  }
  const [, day, path] = match as unknown as [string, string, string];
  if (toIsoDate(day) !== day) throw new UpstreamError(markerUrl, `holds ${day}, which is no calendar date: not taken`);
  return { day, path };
}

/** The digest `FILE.CHECKSUM` gives for `file`: a line naming it (sha256sum's), or a bare digest alone. */
async function sidecarDigest(sumsUrl: string, file: string, http: UpstreamHttp) {
  const text = await http.text(sumsUrl);
  const entries = parseChecksumFile(text);
  const entry = findEntry(entries, file);
  const digests = new Set(entries.filter((other) => other.name === file && other.algo === entry?.algo));
  if (new Set([...digests].map((other) => other.hex)).size > 1) {
    throw new UpstreamError(sumsUrl, `lists ${shownName(file)} with different digests: not taken`);
  }
  const digest = entry ?? bareDigest(text);
  if (digest === undefined) throw new UpstreamError(sumsUrl, `holds no checksum of ${shownName(file)}`);
  return checksumOf(digest);
}

/** A marker of track 1.33 must name a build of 1.33 (`v1.33.5`): anything else is not taken. */
function checkTrack(markerUrl: string, file: string, version: string | undefined, track: string): void {
  if (version === undefined) {
    throw new UpstreamError(markerUrl, `names ${shownName(file)}, which tells no version (vX.Y.Z) of track ${track}`);
  }
  if (!ofTrack(`v${version}`, track)) {
    throw new UpstreamError(markerUrl, `names v${version}, which is not of track ${track}: not taken`);
  }
}
