import { mirrorObjectName, mirrorObjectUrl } from '../definitions/mirror-object.js';
import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import { packingOf } from '../sources/packing.js';
import type { Target } from './targets.js';
import type { ImportSource, PlanNote, SourceOption } from './types.js';

/**
 * Where a version's data is read, in order: its mirror first (`mirror_url`, else the one `mirrorBase` derives),
 * then `url`; the importer takes the next when one cannot serve the image.
 */
export function importSource(def: ImageDefinition, version: VersionDefinition, mirrorBase?: string): ImportSource {
  const { option } = mirrorOf(def, version, mirrorBase);
  const upstream: SourceOption = { origin: 'url', url: version.url };
  return {
    from: option ? [option, upstream] : [upstream],
    ...(version.checksum ? { checksum: version.checksum } : {}),
    ...(version.id ? { id: version.id } : {}),
  };
}

/**
 * The version's mirror as a source, or why it is not read. With `mirror_checksum`, its copy is verified against
 * that (the image as the mirror holds it). Without, against `checksum`: OIM's meaning of `checksum` is what the
 * import reads, and OIM imports from `mirror_url` when there is one (its catalogue pairs a `.tar.xz` url with a
 * `.qcow2` mirror_url and the qcow2's checksum). A mirror that `--mirror-base` derives for a packed `url` is
 * this tool's own copy, unpacked, whose bytes the definition's `checksum` of the packed source cannot verify:
 * it is read only with a `mirror_checksum`.
 */
export function mirrorOf(
  def: ImageDefinition,
  version: VersionDefinition,
  mirrorBase: string | undefined,
): { option?: SourceOption; withheld?: string } {
  const url = version.mirror_url ?? derivedMirrorUrl(def, version, mirrorBase);
  if (url === undefined || url === version.url) return {};
  const { mirror_checksum: mirrorChecksum } = version;
  if (mirrorChecksum) return { option: { origin: 'mirror', url, mirrorChecksum } };
  const packing = packingOf(version.url);
  if (!packing || packingOf(url) || version.mirror_url !== undefined) return { option: { origin: 'mirror', url } };
  const withheld =
    `version ${version.version}: its url is a ${packing.suffix} and it has no mirror_checksum to verify the ` +
    `--mirror-base copy (unpacked) by; importing from url; \`image-manager mirror --write-mirror-url\` records it`;
  return { withheld };
}

/** A warning for each version about to be imported whose mirror is not read (see `mirrorOf`). */
export function mirrorNotes(def: ImageDefinition, decided: readonly Target[], mirrorBase?: string): PlanNote[] {
  return decided.flatMap((target) => {
    if ((target.fate !== 'import' && target.fate !== 'resume') || !target.slot.defined) return [];
    const { withheld } = mirrorOf(def, target.slot.defined, mirrorBase);
    if (withheld === undefined) return [];
    return [{ level: 'warn' as const, definition: def.name, image: target.desired.name, message: withheld }];
  });
}

/** The mirror URL `--mirror-base` gives a version: `<base>/<object>` (mirror-object.ts); none without `shortname`. */
export function derivedMirrorUrl(
  def: ImageDefinition,
  version: VersionDefinition,
  mirrorBase: string | undefined,
): string | undefined {
  if (mirrorBase === undefined || !def.shortname) return undefined;
  return mirrorObjectUrl(mirrorBase, mirrorObjectName(def.shortname, version.version, def.format));
}
