import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import { currentExposure, imageName, propertiesFor } from '../definitions/publishes.js';
import type { GlanceImage } from '../openstack/image.js';
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
export function subjectOfDefinition(def: ImageDefinition, version: VersionDefinition): ImageSubject {
  const properties: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(propertiesFor(def, version))) if (value !== null) properties[key] = value;
  const { visibility, os_hidden } = currentExposure(def, version);
  return {
    name: imageName(def, version.version, true),
    properties,
    ...(def.min_disk !== undefined ? { min_disk: def.min_disk } : {}),
    ...(def.min_ram !== undefined ? { min_ram: def.min_ram } : {}),
    ...(visibility ? { visibility } : {}),
    os_hidden,
  };
}
