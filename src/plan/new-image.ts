import type { CreateImage } from '../openstack/image.js';
import type { ImageState } from './diff.js';
import type { DesiredImage } from './types.js';

/** The properties a new image is created with: what ties a half-imported image to its definition version. */
const IDENTITY = ['image_name', 'internal_version'] as const;

/**
 * The request that creates the image of a new version: private (never seen before it is fully described),
 * with the managed tag and the identity properties only, so that a half-imported image is known as ours.
 */
export function createRequest(desired: DesiredImage, tag: string, id?: string): CreateImage {
  return {
    name: desired.name,
    disk_format: desired.disk_format ?? 'qcow2',
    container_format: 'bare',
    visibility: 'private',
    min_disk: desired.min_disk ?? 0,
    min_ram: desired.min_ram ?? 0,
    tags: [tag],
    ...identityProperties(desired),
    ...(id ? { id } : {}),
  };
}

/** The image `createRequest` creates, once its data is in: what an import's changes start from. */
export function asCreated(desired: DesiredImage, tag: string): ImageState {
  const request = createRequest(desired, tag);
  return {
    ...identityProperties(desired),
    name: request.name,
    status: 'active',
    visibility: 'private',
    os_hidden: false,
    tags: [tag],
    min_disk: request.min_disk ?? 0,
    min_ram: request.min_ram ?? 0,
  };
}

function identityProperties(desired: DesiredImage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of IDENTITY) {
    const value = desired.properties[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
