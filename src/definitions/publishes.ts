import type { ImageDefinition, Meta, MetaValue, VersionDefinition, Visibility } from './types.js';

/*
 * What the image of a definition's version carries, as a pure function of the definition: its names, the
 * properties OIM derives (SCS-0102), its tags and how the current version is shown. The planner, the scs-0102
 * checks of definitions and the checks before a run all read it here.
 */

/** `NAME<sep>(VERSION)` for versions of a multi image, `NAME<sep>VERSION` for a single-version image. */
export function versionedName(def: ImageDefinition, version: string): string {
  return def.multi ? `${def.name}${def.separator}(${version})` : `${def.name}${def.separator}${version}`;
}

/** The newest version of a multi image carries the plain name. */
export function imageName(def: ImageDefinition, version: string, current: boolean): string {
  return def.multi && current ? def.name : versionedName(def, version);
}

/** The value written as `image_name`: what ties an image to its definition. */
export function identityName(def: ImageDefinition): string {
  const fromMeta = def.meta.image_name;
  return typeof fromMeta === 'string' && fromMeta !== '' ? fromMeta : def.name;
}

/** The definition's tags, the tag that marks managed images and `os:<os_distro>`, each once. */
export function tagsFor(def: ImageDefinition, managedTag: string): string[] {
  const distro = def.meta.os_distro;
  const tags =
    typeof distro === 'string' && distro ? [...def.tags, managedTag, `os:${distro}`] : [...def.tags, managedTag];
  // Each once (a few tags: no Set).
  const once = (tag: string, index: number) => tags.indexOf(tag) === index;
  return tags.every(once) ? tags : [...new Set(tags)];
}

/** How the version's image is shown while it is the current one: the version's own settings over the image's. */
export function currentExposure(
  def: ImageDefinition,
  version: VersionDefinition,
): { visibility: Visibility; os_hidden: boolean } {
  return { visibility: version.visibility ?? def.visibility, os_hidden: version.hidden ?? false };
}

/**
 * The properties OIM writes: the image's meta with the version's overrides, plus internal_version,
 * image_original_user, image_source, image_build_date, image_description, image_name and, for
 * single-version images, os_version. Values as strings; null values mean "absent", never "None".
 * Written straight into the answer, in the order the layers set them (thousands of versions per plan).
 */
export function propertiesFor(def: ImageDefinition, version: VersionDefinition): Record<string, string | null> {
  const properties: Record<string, string | null> = { image_description: def.name };
  put(properties, def.meta);
  properties.image_name = identityName(def);
  properties.internal_version = version.version;
  properties.image_original_user = def.login;
  if (!def.multi) properties.os_version = version.version;
  if (version.os_version !== undefined) properties.os_version = version.os_version;
  if (version.image_description !== undefined) properties.image_description = version.image_description;
  properties.image_source = version.source ?? publicSource(version.url);
  if (version.build_date !== undefined) properties.image_build_date = version.build_date;
  put(properties, version.meta);
  return properties;
}

function put(properties: Record<string, string | null>, meta: Meta): void {
  for (const key in meta) properties[key] = propertyValue(meta[key] as MetaValue);
}

/** A file: URL names a path on the operator's machine, which other users need not see. */
function publicSource(url: string): string {
  if (!url.startsWith('file:')) return url;
  return `file:${url.slice(url.lastIndexOf('/') + 1)}`;
}

function propertyValue(value: MetaValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
