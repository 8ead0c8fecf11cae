import type { Report } from './coerce-text.js';
import { OIM_OS_DISTROS, type ParsedImage } from './schema.js';
import type { FieldPath } from './source-map.js';

const OIM_DISTROS: ReadonlySet<string> = new Set(OIM_OS_DISTROS);
const VERIFIABLE_ALGOS: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha256', 'sha512']);

/** Rules across fields of one schema-valid image; paths are relative to the image. */
export function checkImage(image: ParsedImage, lineOf: (path: FieldPath) => number | undefined, report: Report): void {
  checkOsDistro(image.meta['os_distro'], ['meta', 'os_distro'], report);
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
    checkOsDistro(version.meta?.['os_distro'], [...path, 'meta', 'os_distro'], report);
  });
}

function checkOsDistro(osDistro: unknown, path: FieldPath, report: Report): void {
  if (typeof osDistro === 'string' && !OIM_DISTROS.has(osDistro)) {
    report('warning', path, `"${osDistro}" is not in OIM's os_distro list; accepted as a libosinfo short id (SCS-0102)`);
  }
}
