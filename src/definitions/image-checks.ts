import type { Report } from './coerce-text.js';
import type { ParsedImage } from './schema.js';
import type { FieldPath } from '../yaml/source-map.js';

const VERIFIABLE_ALGOS: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha256', 'sha512']);

/**
 * The rules on a schema-valid image's versions that the schema cannot state: no version twice, a `latest`
 * pointer with exactly one checksum file, a build_date on every other version, a digest that can be verified.
 * Paths are relative to the image.
 */
export function checkImageVersions(
  image: ParsedImage,
  lineOf: (path: FieldPath) => number | undefined,
  report: Report,
): void {
  const firstIndex = new Map<string, number>();
  image.versions.forEach((version, j) => {
    const path = ['versions', j];
    const earlier = firstIndex.get(version.version);
    if (earlier === undefined) {
      firstIndex.set(version.version, j);
    } else {
      const line = lineOf(['versions', earlier]);
      const where = line === undefined ? '' : ` (first at line ${line})`;
      report('error', [...path, 'version'], `version "${version.version}" is defined twice${where}`);
    }
    if (version.version === 'latest') {
      // OIM's own rule for a latest pointer: its checksum comes from exactly one of the two files.
      if (version.checksum_url !== undefined && version.checksums_url !== undefined) {
        report('error', path, 'a "latest" version takes checksums_url or checksum_url, not both');
      } else if (version.checksum_url === undefined && version.checksums_url === undefined) {
        report('error', path, 'a "latest" version needs checksums_url or checksum_url');
      }
    } else if (version.build_date === undefined) {
      report('error', [...path, 'build_date'], 'required field is missing (only a "latest" version may go without it)');
    }
    for (const key of ['checksum', 'mirror_checksum'] as const) {
      const algo = version[key]?.algo;
      if (algo !== undefined && !VERIFIABLE_ALGOS.has(algo)) {
        const message = `unknown digest algorithm "${algo}": the image cannot be verified against it`;
        report('warning', [...path, key], message);
      }
    }
  });
}

/** `{track}` in latest_url and `upstream_tracks` go together: each track is put there. */
export function checkUpstreamTracks(image: ParsedImage, report: Report): void {
  const holds = image.latest_url?.includes('{track}') === true;
  if (image.upstream_tracks !== undefined && !holds) {
    const example = 'e.g. https://example.org/images/last-{track}';
    report('error', ['upstream_tracks'], `latest_url must hold {track}, where each track goes (${example})`);
  } else if (holds && image.upstream_tracks === undefined) {
    report(
      'error',
      ['latest_url'],
      "holds {track} but upstream_tracks names no track (e.g. upstream_tracks: ['1.35'])",
    );
  }
}

/**
 * `shortname` and each `version` name a mirror object (`<shortname>/<version>-<shortname>.<format>`) and its
 * URL: one path segment each, never `.` or `..` (a URL would resolve them, and the copy would be written or read
 * outside its container). Control characters are refused in every field already.
 */
export function checkPathSegments(image: ParsedImage, report: Report): void {
  const problem = (text: string) => {
    if (text.includes('/')) return 'must not hold "/"';
    return text === '.' || text === '..' ? `must not be "${text}"` : undefined;
  };
  const shortname = image.shortname === undefined ? undefined : problem(image.shortname);
  if (shortname) report('error', ['shortname'], `${shortname}: it names the mirror's folder`);
  image.versions.forEach((version, j) => {
    const why = problem(version.version);
    if (why) report('error', ['versions', j, 'version'], `${why}: it names the version's mirror object`);
  });
}
