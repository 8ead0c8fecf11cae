import type { ImageDefinition, VersionDefinition } from './types.js';

/** OIM's `version: latest`: a version resolved at run time from its upstream checksum file. */
export const LATEST = 'latest';

/** The definition's `version: latest` entry, when it has one that names where its checksum is published. */
export function latestPointer(def: ImageDefinition): VersionDefinition | undefined {
  return def.versions.find((version) => version.version === LATEST && (version.checksums_url || version.checksum_url));
}
