import { compact } from '../util/objects.js';
import type { ParsedImage, ParsedVersion } from './schema.js';
import type { ImageDefinition, Meta, MetaValue, VersionDefinition } from './types.js';
import { inBuildOrder } from './version-order.js';

export interface ImageOrigin {
  file: string;
  line: number;
  /** Line of each version entry, by its index in the file. */
  versionLines: ReadonlyArray<number>;
}

/** The loader's output form of a schema-valid image: defaults filled in, versions in build order (`inBuildOrder`). */
export function toImageDefinition(image: ParsedImage, origin: ImageOrigin): ImageDefinition {
  const versions = inBuildOrder(
    image.versions.map((version, j) => toVersionDefinition(version, origin.versionLines[j] ?? origin.line)),
  );
  return compact({
    file: origin.file,
    line: origin.line,
    name: image.name,
    enable: image.enable,
    format: image.format,
    login: image.login,
    min_disk: image.min_disk,
    min_ram: image.min_ram,
    multi: image.multi,
    keep: image.keep ?? false,
    status: image.status,
    separator: image.separator ?? ' ',
    outdated_names: image.outdated_names,
    shortname: image.shortname,
    password: image.password,
    tags: image.tags,
    visibility: image.visibility,
    latest_url: image.latest_url,
    latest_checksum_url: image.latest_checksum_url,
    latest_asset: image.latest_asset,
    upstream_layout: image.upstream_layout,
    upstream_tracks: image.upstream_tracks,
    meta: toMeta(image.meta),
    versions,
  });
}

function toVersionDefinition(version: ParsedVersion, line: number): VersionDefinition {
  return compact({
    line,
    version: version.version,
    url: version.url,
    mirror_url: version.mirror_url,
    mirror_checksum: version.mirror_checksum,
    checksum: version.checksum,
    checksum_url: version.checksum_url,
    checksums_url: version.checksums_url,
    build_date: version.build_date,
    hidden: version.hidden,
    image_description: version.image_description,
    os_version: version.os_version,
    source: version.source,
    visibility: version.visibility,
    id: version.id,
    meta: toMeta(version.meta ?? {}),
  });
}

function toMeta(meta: Record<string, MetaValue | undefined>): Meta {
  return compact(meta) as Meta;
}
