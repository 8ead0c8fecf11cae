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
 * Equal changes, one object: the images of a definition mostly drift alike, and a plan of thousands of images
 * holds each change once per definition instead of once per image. Per field, the changes made so far (a
 * handful: one per value an image had). Only for changes of plain values.
 */
export type SharedChanges = Map<Change['field'], Change[]>;

/**
 * What must change on `image` to match `desired`, field by field. Fields `desired` leaves undefined stay as
 * they are; a status other than active or deactivated (an import under way) is Glance's business. With
 * `shared`, a change equal to one made before is that one.
 */
export function diffImage(desired: DesiredImage, image: ImageState, shared?: SharedChanges): Change[] {
  const changes = diffFields(desired, image, shared);
  if (shared) for (let i = 0; i < changes.length; i++) changes[i] = sharedChange(shared, changes[i] as Change);
  // A plan holds thousands of these: exactly as long as they need to be (a pushed-to array has room for more).
  return changes.length > 0 ? changes.slice() : changes;
}

/** The change made before that equals this one (or this one, remembered). */
function sharedChange(shared: SharedChanges, change: Change): Change {
  const { before, after } = change;
  if (typeof before === 'object' && before !== null) return change;
  const made = shared.get(change.field);
  const known = made && equalIn(made, before, after);
  if (known) return known;
  if (made) made.push(change);
  else shared.set(change.field, [change]);
  return change;
}

function diffFields(desired: DesiredImage, image: ImageState, shared: SharedChanges | undefined): Change[] {
  const changes: Change[] = [];
  if (image.name !== desired.name) changes.push({ field: 'name', before: image.name, after: desired.name });
  if (desired.min_disk !== undefined && image.min_disk !== desired.min_disk)
    changes.push({ field: 'min_disk', before: image.min_disk, after: desired.min_disk });
  if (desired.min_ram !== undefined && image.min_ram !== desired.min_ram)
    changes.push({ field: 'min_ram', before: image.min_ram, after: desired.min_ram });
  if (desired.visibility !== undefined && image.visibility !== desired.visibility) {
    changes.push({ field: 'visibility', before: image.visibility, after: desired.visibility });
  }
  if (desired.os_hidden !== undefined && image.os_hidden !== desired.os_hidden) {
    changes.push({ field: 'os_hidden', before: image.os_hidden, after: desired.os_hidden });
  }
  pushPropertyChanges(changes, desired.properties, image, shared);
  if (desired.tags && !sameSet(desired.tags, image.tags))
    changes.push({ field: 'tags', before: image.tags, after: desired.tags });
  const status = statusChange(desired.status, image.status);
  if (status) changes.push({ field: 'status', before: image.status, after: status });
  return changes;
}

/**
 * Appends a change per property that differs: the bulk of a plan's changes. No intermediate arrays; a change
 * made before is looked up before a new one is made.
 */
function pushPropertyChanges(
  changes: Change[],
  properties: Record<string, string | null>,
  image: ImageState,
  shared: SharedChanges | undefined,
): void {
  for (const key in properties) {
    const value = properties[key] as string | null;
    const current = image[key] ?? null;
    if (current === value) continue;
    const field = propertyField(key);
    const made = typeof current === 'object' && current !== null ? undefined : shared?.get(field);
    changes.push((made && equalIn(made, current, value)) ?? { field, before: current, after: value });
  }
}

/** The change in `made` from `before` to `after` (a loop: no closure for each of a plan's many lookups). */
function equalIn(made: Change[], before: unknown, after: unknown): Change | undefined {
  for (const change of made) if (change.before === before && change.after === after) return change;
  return undefined;
}

/** The `properties.KEY` field names, one string per key: a plan's thousands of changes name a few dozen keys. */
const PROPERTY_FIELDS = new Map<string, PropertyChange['field']>();
const MAX_PROPERTY_FIELDS = 10_000;

function propertyField(key: string): PropertyChange['field'] {
  const known = PROPERTY_FIELDS.get(key);
  if (known !== undefined) return known;
  const field = `properties.${key}` as const;
  if (PROPERTY_FIELDS.size < MAX_PROPERTY_FIELDS) PROPERTY_FIELDS.set(key, field);
  return field;
}

function statusChange(
  desired: DesiredImage['status'],
  status: GlanceImage['status'],
): 'active' | 'deactivated' | undefined {
  if (desired === 'deactivated' && status === 'active') return 'deactivated';
  if (desired === 'active' && status === 'deactivated') return 'active';
  return undefined;
}

/** Whether two short lists hold the same tags, in any order and however often. */
function sameSet(a: string[], b: string[]): boolean {
  return a.every((tag) => b.includes(tag)) && b.every((tag) => a.includes(tag));
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
