import { mirrorObjectName } from '../definitions/mirror-object.js';
import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';

/** One version to mirror: where it comes from, and the object it becomes. */
export interface MirrorTarget {
  definition: string;
  version: string;
  url: string;
  format: string;
  /** `<shortname>/<version>-<shortname>.<format>`, as OIM's mirror_url and contrib/mirror.py name it. */
  object: string;
  /** The definition's checksum of the bytes as published (`sha256:<hex>`); without one nothing is verified. */
  checksum?: { algo: string; hex: string };
  /** The definition's mirror_checksum (`sha256:<hex>`): what its file already records of the mirror's copy. */
  mirrorChecksum?: string;
  /** Why this version is not mirrored (no shortname, no checksum). */
  skip?: string;
}

/** The versions to mirror of the selected definitions: all, or with `latest` only each one's newest. */
export function mirrorTargets(definitions: readonly ImageDefinition[], latest: boolean): MirrorTarget[] {
  return definitions.flatMap((definition) => {
    const versions = latest ? definition.versions.slice(-1) : definition.versions;
    return versions.map((version) => targetOf(definition, version));
  });
}

function targetOf(definition: ImageDefinition, version: VersionDefinition): MirrorTarget {
  const shortname = definition.shortname ?? '';
  const base = {
    definition: definition.name,
    version: version.version,
    url: version.url,
    format: definition.format,
    object: mirrorObjectName(shortname, version.version, definition.format),
    ...(version.checksum ? { checksum: version.checksum } : {}),
    ...(version.mirror_checksum && {
      mirrorChecksum: `${version.mirror_checksum.algo}:${version.mirror_checksum.hex.toLowerCase()}`,
    }),
  };
  if (!definition.shortname) return { ...base, skip: 'the definition has no shortname to name the object by' };
  if (!version.checksum) return { ...base, skip: 'the version has no checksum to verify the copy against' };
  return base;
}

/**
 * The objects under a definition's prefix that name a version it no longer defines (`--prune`): only names
 * in its own shape, so nothing else in the container is considered.
 */
export function prunable(definition: ImageDefinition, names: readonly string[]): string[] {
  const { shortname, format } = definition;
  if (!shortname) return [];
  const defined = new Set(definition.versions.map((version) => mirrorObjectName(shortname, version.version, format)));
  return names.filter((name) => inShapeOf(definition, name) && !defined.has(name));
}

/** Whether a name has the shape of a definition's objects: `<shortname>/<anything>-<shortname>.<format>`. */
export function inShapeOf(definition: ImageDefinition, name: string): boolean {
  const { shortname, format } = definition;
  if (!shortname) return false;
  const head = `${shortname}/`;
  return name.startsWith(head) && name.endsWith(`-${shortname}.${format}`) && !name.slice(head.length).includes('/');
}
