import { currentExposure, imageName, propertiesFor, tagsFor, versionedName } from '../definitions/publishes.js';
import type { ImageDefinition, VersionDefinition, Visibility } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
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
    const exposure = currentExposure(def, version);
    desired.visibility = exposure.visibility;
    desired.os_hidden = exposure.os_hidden;
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
