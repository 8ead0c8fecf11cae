import type { ImageDefinition, Meta, MetaValue, VersionDefinition, Visibility } from '../definitions/types.js';
import { identityName, imageName, versionedName } from './names.js';
import type { DesiredImage, PlanOptions } from './types.js';

/** Whether an image is the one users should pick, or a superseded version kept for its UUID. */
export type Role = 'current' | 'outdated';

export interface RetentionState {
  /** --hide (or --use-os-hidden) applies to it. */
  hidden: boolean;
  /** --deactivate applies to it: past its retention and not deleted. */
  deactivated: boolean;
}

/**
 * The full desired state of a version that the definition lists: properties as OIM derives them (SCS-0102),
 * tags, visibility, status and the name for its role.
 */
export function desiredForVersion(
  def: ImageDefinition,
  version: VersionDefinition,
  role: Role,
  options: PlanOptions,
  retention: RetentionState = { hidden: role === 'outdated', deactivated: false },
): DesiredImage {
  const properties = propertiesFor(def, version);
  if (role === 'outdated' && properties.os_purpose === 'generic') properties.os_purpose = 'oldgeneric';
  const visibility = version.visibility ?? def.visibility;
  return {
    definition: def.name,
    version: version.version,
    name: imageName(def, version.version, role === 'current'),
    properties,
    disk_format: def.format,
    min_disk: def.min_disk,
    min_ram: def.min_ram,
    tags: tagsFor(def, options.tag),
    ...(role === 'current'
      ? { visibility, os_hidden: version.hidden ?? false, status: def.status }
      : outdatedExposure(visibility, version.hidden, retention, options)),
  };
}

/**
 * An outdated image whose version the definition no longer lists: only its name, its purpose and its
 * exposure are the tool's business now; its other properties stay as they were written.
 */
export function desiredForUndefinedVersion(
  def: ImageDefinition,
  version: string,
  currentName: string,
  currentPurpose: unknown,
  options: PlanOptions,
  retention: RetentionState,
): DesiredImage {
  return {
    definition: def.name,
    version,
    name: def.multi ? versionedName(def, version) : currentName,
    properties: currentPurpose === 'generic' ? { os_purpose: 'oldgeneric' } : {},
    ...outdatedExposure(undefined, undefined, retention, options),
  };
}

function outdatedExposure(
  visibility: Visibility | undefined,
  hiddenInDefinition: boolean | undefined,
  retention: RetentionState,
  options: PlanOptions,
): Pick<DesiredImage, 'visibility' | 'os_hidden' | 'status'> {
  const out: Pick<DesiredImage, 'visibility' | 'os_hidden' | 'status'> = {};
  if (visibility) out.visibility = visibility;
  if (hiddenInDefinition !== undefined) out.os_hidden = hiddenInDefinition;
  if (options.useOsHidden) out.os_hidden = true;
  if (retention.hidden && options.hide) {
    const hiddenVisibility = options.hiddenVisibility ?? (options.useOsHidden ? undefined : 'community');
    if (hiddenVisibility) out.visibility = hiddenVisibility;
  }
  if (retention.deactivated && options.deactivate) out.status = 'deactivated';
  return out;
}

export function tagsFor(def: ImageDefinition, managedTag: string): string[] {
  const tags = [...def.tags, managedTag];
  const distro = def.meta.os_distro;
  if (typeof distro === 'string' && distro) tags.push(`os:${distro}`);
  return [...new Set(tags)];
}

/**
 * The properties OIM writes: the image's meta with the version's overrides, plus internal_version,
 * image_original_user, image_source, image_build_date, image_description, image_name and, for
 * single-version images, os_version. Values as strings; null values mean "absent", never "None".
 */
export function propertiesFor(def: ImageDefinition, version: VersionDefinition): Record<string, string | null> {
  const meta: Meta = {
    image_description: def.name,
    ...def.meta,
    image_name: identityName(def),
    internal_version: version.version,
    image_original_user: def.login,
  };
  if (!def.multi) meta.os_version = version.version;
  if (version.os_version !== undefined) meta.os_version = version.os_version;
  if (version.image_description !== undefined) meta.image_description = version.image_description;
  meta.image_source = version.source ?? publicSource(version.url);
  if (version.build_date !== undefined) meta.image_build_date = version.build_date;
  Object.assign(meta, version.meta);
  const properties: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(meta)) properties[key] = propertyValue(value);
  return properties;
}

/** A file: URL names a path on the operator's machine, which other users need not see. */
function publicSource(url: string): string {
  if (!url.startsWith('file:')) return url;
  return `file:${url.slice(url.lastIndexOf('/') + 1)}`;
}

export function propertyValue(value: MetaValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
