import { createHash } from 'node:crypto';
import type { GlanceImage } from '../openstack/image.js';
import type { DesiredImage } from '../plan/types.js';

/**
 * The namespace of the tool's image ids (UUID version 5). Never change it: the ids of images already in clouds
 * derive from it, and a run with another namespace would not meet them.
 */
export const IMAGE_ID_NAMESPACE = 'e6e277a3-b8a7-4f36-b7a8-6642f5232206';

/** RFC 9562 version 5: the SHA-1 of the namespace's 16 bytes and the name's UTF-8, version and variant set. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What ties an image to its definition version: the image_name and internal_version it is created with. */
export function identityOf(desired: DesiredImage): { imageName: string; version: string } {
  return {
    imageName: desired.properties.image_name ?? desired.definition,
    version: desired.properties.internal_version ?? desired.version,
  };
}

/**
 * The `position`-th image id of a version in a project: uuid5(IMAGE_ID_NAMESPACE, "<project id>\n<image_name>\n
 * <internal_version>\n<position>"). Every run, on any host and under any cloud name, tries the same ids in the
 * same order, so Glance's 409 for an id it has seen keeps a version to one image. Glance never gives out the id
 * of a deleted image again: a version imported anew takes the next position.
 */
export function versionImageId(projectId: string, desired: DesiredImage, position: number): string {
  const { imageName, version } = identityOf(desired);
  return uuidV5(`${projectId}\n${imageName}\n${version}\n${position}`, IMAGE_ID_NAMESPACE);
}

/** The image carries the version's identity properties: it is an image of this version. */
export function carriesIdentity(image: GlanceImage, desired: DesiredImage): boolean {
  const { imageName, version } = identityOf(desired);
  return image.image_name === imageName && image.internal_version === version;
}
