import type { Report } from './coerce-text.js';
import type { ParsedImage } from './schema.js';
import type { FieldPath } from '../yaml/source-map.js';

const VERIFIABLE_ALGOS: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha256', 'sha512']);

/** Rules across fields of one schema-valid image; paths are relative to the image. */
export function checkImage(image: ParsedImage, lineOf: (path: FieldPath) => number | undefined, report: Report): void {
  const firstIndex = new Map<string, number>();
  image.versions.forEach((version, j) => {
    const path = ['versions', j];
    const earlier = firstIndex.get(version.version);
    if (earlier === undefined) {
      firstIndex.set(version.version, j);
    } else {
      const line = lineOf(['versions', earlier]);
      report('error', [...path, 'version'], `version "${version.version}" is defined twice${line === undefined ? '' : ` (first at line ${line})`}`);
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
    if (version.checksum !== undefined && !VERIFIABLE_ALGOS.has(version.checksum.algo)) {
      report('warning', [...path, 'checksum'], `unknown digest algorithm "${version.checksum.algo}": the image cannot be verified against it`);
    }
  });
}
