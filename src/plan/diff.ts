import type { GlanceImage } from '../openstack/image.js';
import type { Change, DesiredImage, PropertyChange } from './types.js';

const GIB = 1024 ** 3;

/** The fields of an image a diff reads: a Glance image, or one as it will be (see `asCreated`). */
export type ImageState = Pick<
  GlanceImage,
  'name' | 'status' | 'visibility' | 'os_hidden' | 'tags' | 'min_disk' | 'min_ram'
> &
  Record<string, unknown>;

/** The smallest root disk in GiB the image fits on: its virtual size (or size), rounded up. */
export function requiredMinDisk(image: Pick<GlanceImage, 'size' | 'virtual_size'>): number {
  const bytes = Math.max(image.size ?? 0, image.virtual_size ?? 0);
  return Math.ceil(bytes / GIB);
}

/**
 * What must change on `image` to match `desired`, field by field. Fields `desired` leaves undefined stay as
 * they are; a status other than active or deactivated (an import under way) is Glance's business.
 */
export function diffImage(desired: DesiredImage, image: ImageState): Change[] {
  const changes: Change[] = [];
  if (image.name !== desired.name) changes.push({ field: 'name', before: image.name, after: desired.name });
  for (const field of ['min_disk', 'min_ram'] as const) {
    const want = desired[field];
    if (want !== undefined && image[field] !== want) changes.push({ field, before: image[field], after: want });
  }
  if (desired.visibility !== undefined && image.visibility !== desired.visibility) {
    changes.push({ field: 'visibility', before: image.visibility, after: desired.visibility });
  }
  if (desired.os_hidden !== undefined && image.os_hidden !== desired.os_hidden) {
    changes.push({ field: 'os_hidden', before: image.os_hidden, after: desired.os_hidden });
  }
  changes.push(...propertyChanges(desired.properties, image));
  if (desired.tags && !sameSet(desired.tags, image.tags))
    changes.push({ field: 'tags', before: image.tags, after: desired.tags });
  const status = statusChange(desired.status, image.status);
  if (status) changes.push({ field: 'status', before: image.status, after: status });
  return changes;
}

function propertyChanges(properties: Record<string, string | null>, image: ImageState): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const current = image[key] ?? null;
    if (current !== value) changes.push({ field: `properties.${key}`, before: current, after: value });
  }
  return changes;
}

function statusChange(
  desired: DesiredImage['status'],
  status: GlanceImage['status'],
): 'active' | 'deactivated' | undefined {
  if (desired === 'deactivated' && status === 'active') return 'deactivated';
  if (desired === 'active' && status === 'deactivated') return 'active';
  return undefined;
}

function sameSet(a: string[], b: string[]): boolean {
  const have = new Set(b);
  return a.every((tag) => have.has(tag)) && new Set(a).size === have.size;
}

export function isPropertyChange(change: Change): change is PropertyChange {
  return change.field.startsWith('properties.');
}

/** The property a `properties.X` field names. */
export function propertyKey(change: PropertyChange): string {
  return change.field.slice('properties.'.length);
}

/** The tags a `tags` change adds and removes. */
export function tagDelta(change: { before: string[]; after: string[] }): { add: string[]; remove: string[] } {
  const before = new Set(change.before);
  const after = new Set(change.after);
  return {
    add: change.after.filter((tag) => !before.has(tag)),
    remove: change.before.filter((tag) => !after.has(tag)),
  };
}

/** `min_ram=512, -hw_rng_model, +tag os:ubuntu, deactivate`: the changes as --dry-run and the log show them. */
export function describeChanges(changes: Change[]): string {
  return changes.flatMap(describeChange).join(', ');
}

function describeChange(change: Change): string[] {
  if (isPropertyChange(change)) {
    return [
      change.after === null ? `-${propertyKey(change)}` : `${propertyKey(change)}=${JSON.stringify(change.after)}`,
    ];
  }
  switch (change.field) {
    case 'tags': {
      const { add, remove } = tagDelta(change);
      return [...add.map((tag) => `+tag ${tag}`), ...remove.map((tag) => `-tag ${tag}`)];
    }
    case 'status':
      return [change.after === 'deactivated' ? 'deactivate' : 'reactivate'];
    default:
      return [`${change.field}=${JSON.stringify(change.after)}`];
  }
}
