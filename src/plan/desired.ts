import type { ImageDefinition, Meta, MetaValue, VersionDefinition, Visibility } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { identityName, imageName, versionedName } from './names.js';
import type { DesiredImage, PlanOptions } from './types.js';

/** Whether an image is the one users should pick, or a superseded version kept for its UUID. */
export type Role = 'current' | 'outdated';

/** What shapes an outdated image's exposure and status besides the flags. */
export interface OutdatedState {
  /** --hide (or --use-os-hidden) applies to it. */
  hidden: boolean;
  /** --deactivate applies to it: past its retention and not deleted. */
  deactivated: boolean;
  /** The image as found, when one is kept: an outdated image is never shown more than it is (rule 10). */
  found?: Exposure;
  /** Its name when not OIM's `NAME (VERSION)`: scs-0102's `NAME YYYYMMDD` (rule 5). */
  name?: string;
}

export type Exposure = Pick<GlanceImage, 'visibility' | 'os_hidden'>;

/** How widely a visibility shows an image: community is seen by anyone who knows its id, shared by members. */
export const SHOWN: Readonly<Record<Visibility, number>> = { private: 0, shared: 1, community: 2, public: 3 };

/**
 * The full desired state of a version that the definition lists: properties as OIM derives them (SCS-0102),
 * tags, visibility, status and the name for its role.
 */
export function desiredForVersion(
  def: ImageDefinition,
  version: VersionDefinition,
  role: Role,
  options: PlanOptions,
  outdated: OutdatedState = { hidden: role === 'outdated', deactivated: false },
): DesiredImage {
  const properties = propertiesFor(def, version);
  if (role === 'outdated' && properties.os_purpose === 'generic') properties.os_purpose = 'oldgeneric';
  const desired: DesiredImage = {
    definition: def.name,
    version: version.version,
    name:
      role === 'outdated' && outdated.name !== undefined
        ? outdated.name
        : imageName(def, version.version, role === 'current'),
    properties,
    disk_format: def.format,
    min_disk: def.min_disk,
    min_ram: def.min_ram,
    tags: tagsFor(def, options.tag),
  };
  if (role === 'current') {
    desired.visibility = version.visibility ?? def.visibility;
    desired.os_hidden = version.hidden ?? false;
    desired.status = def.status;
  } else {
    outdatedExposure(version, def.visibility, outdated, options, desired);
  }
  return desired;
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
  outdated: OutdatedState,
): DesiredImage {
  const desired: DesiredImage = {
    definition: def.name,
    version,
    name: def.multi ? (outdated.name ?? versionedName(def, version)) : currentName,
    properties: currentPurpose === 'generic' ? { os_purpose: 'oldgeneric' } : {},
  };
  outdatedExposure(undefined, undefined, outdated, options, desired);
  return desired;
}

/**
 * Rules 5 and 10: an outdated image is hidden with --hide and deactivated past its retention with --deactivate;
 * otherwise it gets the definition's exposure, but never one that shows it more than it is now, unless its
 * version's own `visibility`/`hidden` or --unhide say so. Nothing here reactivates it. Written into `out`.
 */
function outdatedExposure(
  version: Pick<VersionDefinition, 'visibility' | 'hidden'> | undefined,
  defVisibility: Visibility | undefined,
  outdated: OutdatedState,
  options: PlanOptions,
  out: Pick<DesiredImage, 'visibility' | 'os_hidden' | 'status'>,
): void {
  const visibility = outdatedVisibility(version?.visibility, defVisibility, outdated, options);
  if (visibility) out.visibility = visibility;
  const hidden = options.useOsHidden ? true : (version?.hidden ?? (options.unhide ? false : undefined));
  if (hidden !== undefined) out.os_hidden = hidden;
  if (outdated.deactivated && options.deactivate) out.status = 'deactivated';
}

function outdatedVisibility(
  versionVisibility: Visibility | undefined,
  defVisibility: Visibility | undefined,
  outdated: OutdatedState,
  options: PlanOptions,
): Visibility | undefined {
  const hiding = outdated.hidden && options.hide;
  const hiddenVisibility = options.hiddenVisibility ?? (options.useOsHidden ? undefined : 'community');
  if (hiding && hiddenVisibility) return shownNoMore(hiddenVisibility, outdated.found);
  if (versionVisibility) return versionVisibility;
  if (!defVisibility || options.unhide) return defVisibility;
  return shownNoMore(defVisibility, outdated.found);
}

/** `visibility`, unless it would show the image found more than it is: then undefined (left as it is). */
function shownNoMore(visibility: Visibility, found: Exposure | undefined): Visibility | undefined {
  return found && SHOWN[visibility] > SHOWN[found.visibility] ? undefined : visibility;
}

export function tagsFor(def: ImageDefinition, managedTag: string): string[] {
  const distro = def.meta.os_distro;
  const tags =
    typeof distro === 'string' && distro ? [...def.tags, managedTag, `os:${distro}`] : [...def.tags, managedTag];
  // Each once (a few tags: no Set).
  const once = (tag: string, index: number) => tags.indexOf(tag) === index;
  return tags.every(once) ? tags : [...new Set(tags)];
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

export function propertyValue(value: MetaValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
