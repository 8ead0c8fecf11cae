import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { desiredForVersion } from '../plan/desired.js';
import type { PlanOptions } from '../plan/types.js';
import type { ImageSubject } from './image-subject.js';

const CORE_FIELDS = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'os_hidden',
  'tags',
  'min_disk',
  'min_ram',
  'disk_format',
  'container_format',
  'size',
  'virtual_size',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'owner',
  'created_at',
  'updated_at',
  'self',
  'file',
  'schema',
  'direct_url',
  'locations',
  'stores',
]);

/** A live image as the rules read it: Glance's additional properties, plus the core fields they judge. */
export function subjectOfImage(image: GlanceImage): ImageSubject {
  const properties: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(image)) {
    if (!CORE_FIELDS.has(key) && typeof value === 'string') properties[key] = value;
  }
  return {
    id: image.id,
    name: image.name ?? image.id,
    properties,
    min_disk: image.min_disk,
    min_ram: image.min_ram,
    size: image.size,
    virtual_size: image.virtual_size ?? null,
    visibility: image.visibility,
    os_hidden: image.os_hidden,
    created_at: image.created_at,
    os_hash_algo: image.os_hash_algo,
  };
}

/** The image a definition's version would publish as the current one: what the tool would write on it. */
export function subjectOfDefinition(def: ImageDefinition, version: VersionDefinition, tag: string): ImageSubject {
  const options: PlanOptions = {
    tag,
    latest: false,
    hide: false,
    useOsHidden: false,
    deactivate: false,
    delete: false,
    keep: false,
    today: '',
  };
  const desired = desiredForVersion(def, version, 'current', options);
  const properties: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(desired.properties)) if (value !== null) properties[key] = value;
  return {
    name: desired.name,
    properties,
    ...(desired.min_disk !== undefined ? { min_disk: desired.min_disk } : {}),
    ...(desired.min_ram !== undefined ? { min_ram: desired.min_ram } : {}),
    ...(desired.visibility ? { visibility: desired.visibility } : {}),
    os_hidden: desired.os_hidden ?? false,
  };
}
