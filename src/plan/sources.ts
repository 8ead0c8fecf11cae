import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { ImportSource, SourceOption } from './types.js';

/**
 * Where a version's data is read, in order: its mirror first (`mirror_url`, else the one `mirrorBase` derives),
 * then `url`; the importer takes the next when one cannot serve the image.
 */
export function importSource(def: ImageDefinition, version: VersionDefinition, mirrorBase?: string): ImportSource {
  const mirror = version.mirror_url ?? derivedMirrorUrl(def, version, mirrorBase);
  const upstream: SourceOption = { origin: 'url', url: version.url };
  return {
    from: mirror !== undefined && mirror !== version.url ? [{ origin: 'mirror', url: mirror }, upstream] : [upstream],
    ...(version.checksum ? { checksum: version.checksum } : {}),
    ...(version.id ? { id: version.id } : {}),
  };
}

/**
 * OIM's mirror layout, `<base>/<shortname>/<version>-<shortname>.<format>`: the mirror holds the image itself, so a
 * packed source (`.qcow2.xz`) is named by the definition's `format`. None without a base or a `shortname`.
 */
export function derivedMirrorUrl(
  def: ImageDefinition,
  version: VersionDefinition,
  mirrorBase: string | undefined,
): string | undefined {
  if (mirrorBase === undefined || !def.shortname) return undefined;
  const base = mirrorBase.replace(/\/+$/, '');
  const object = `${def.shortname}/${version.version}-${def.shortname}.${def.format}`;
  return `${base}/${object.split('/').map(encodeURIComponent).join('/')}`;
}
