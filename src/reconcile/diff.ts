import type { GlanceImage, PatchOperation } from '../openstack/image.js';
import type { DesiredImage } from './types.js';

const GIB = 1024 ** 3;

export interface ImageChanges {
  patch: PatchOperation[];
  addTags: string[];
  removeTags: string[];
  statusChange?: 'deactivate' | 'reactivate';
  /** min_disk had to be raised above the definition's value to hold the stored image. */
  minDiskRaisedTo?: number;
}

/** The smallest root disk in GiB the image fits on: its virtual size (or size), rounded up. */
export function requiredMinDisk(image: Pick<GlanceImage, 'size' | 'virtual_size'>): number {
  const bytes = Math.max(image.size ?? 0, image.virtual_size ?? 0);
  return Math.ceil(bytes / GIB);
}

/** What must change on `observed` to match `desired`: one JSON patch, tag changes and a status change. */
export function diffImage(desired: DesiredImage, observed: GlanceImage): ImageChanges {
  const patch: PatchOperation[] = [];
  const changes: ImageChanges = { patch, addTags: [], removeTags: [] };

  if (observed.name !== desired.name) patch.push({ op: 'replace', path: '/name', value: desired.name });

  if (desired.min_disk !== undefined) {
    const needed = requiredMinDisk(observed);
    const minDisk = Math.max(desired.min_disk, needed);
    if (minDisk > desired.min_disk) changes.minDiskRaisedTo = minDisk;
    if (observed.min_disk !== minDisk) patch.push({ op: 'replace', path: '/min_disk', value: minDisk });
  }
  if (desired.min_ram !== undefined && observed.min_ram !== desired.min_ram) {
    patch.push({ op: 'replace', path: '/min_ram', value: desired.min_ram });
  }
  if (desired.visibility !== undefined && observed.visibility !== desired.visibility) {
    patch.push({ op: 'replace', path: '/visibility', value: desired.visibility });
  }
  if (desired.os_hidden !== undefined && observed.os_hidden !== desired.os_hidden) {
    patch.push({ op: 'replace', path: '/os_hidden', value: desired.os_hidden });
  }

  for (const [key, value] of Object.entries(desired.properties)) {
    const current = observed[key];
    const path = `/${escapePointer(key)}`;
    if (value === null) {
      if (current !== undefined && current !== null) patch.push({ op: 'remove', path });
    } else if (current !== value) {
      patch.push({ op: 'add', path, value });
    }
  }

  if (desired.tags) {
    const have = new Set(observed.tags);
    const want = new Set(desired.tags);
    changes.addTags = desired.tags.filter((tag) => !have.has(tag));
    changes.removeTags = observed.tags.filter((tag) => !want.has(tag));
  }

  if (desired.status === 'deactivated' && observed.status === 'active') changes.statusChange = 'deactivate';
  if (desired.status === 'active' && observed.status === 'deactivated') changes.statusChange = 'reactivate';
  return changes;
}

export function hasChanges(changes: ImageChanges): boolean {
  return (
    changes.patch.length > 0 || changes.addTags.length > 0 || changes.removeTags.length > 0 || changes.statusChange !== undefined
  );
}

/** RFC 6901: `~` and `/` inside a property name. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
