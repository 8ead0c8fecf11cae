import type { GlanceImage } from '../openstack/image.js';
import { requiredMinDisk } from './diff.js';
import type { DesiredImage } from './types.js';

/** The image as it will be once `desired` is applied: lets the planner diff a later state against it. */
export function applyDesired(observed: GlanceImage, desired: DesiredImage): GlanceImage {
  const next: GlanceImage = { ...observed, name: desired.name, tags: desired.tags ? [...desired.tags] : [...observed.tags] };
  if (desired.min_disk !== undefined) next.min_disk = Math.max(desired.min_disk, requiredMinDisk(observed));
  if (desired.min_ram !== undefined) next.min_ram = desired.min_ram;
  if (desired.visibility !== undefined) next.visibility = desired.visibility;
  if (desired.os_hidden !== undefined) next.os_hidden = desired.os_hidden;
  if (desired.status === 'deactivated' && observed.status === 'active') next.status = 'deactivated';
  if (desired.status === 'active' && observed.status === 'deactivated') next.status = 'active';
  for (const [key, value] of Object.entries(desired.properties)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
