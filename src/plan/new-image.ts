import { VERIFICATION_PENDING, VERIFICATION_PROPERTY } from '../definitions/verification-record.js';
import type { CreateImage } from '../openstack/image.js';
import type { ImageState } from './diff.js';
import type { DesiredImage } from './types.js';

/**
 * The request that creates the image of a new version, fully described at once (rule 2): every property the
 * desired state gives it, the identity properties (image_name, internal_version: what ties a half-imported
 * image to its definition version, so that a retried or resumed run knows it) among them, every tag, and
 * os_hidden when it is to be hidden, and `image_verification: pending` (see VERIFICATION_PENDING); but private,
 * so that nobody sees it before its data is in. What waits for `active` is the import's `changes` (see
 * `asCreated`): its visibility, its status, and the plain name when it takes one another image holds.
 */
export function createRequest(desired: DesiredImage, tag: string, id?: string): CreateImage {
  // The properties first, so that no property can stand in for a field of the image.
  const request = createdProperties(desired) as CreateImage;
  request.name = desired.name;
  request.disk_format = desired.disk_format ?? 'qcow2';
  request.container_format = 'bare';
  request.visibility = 'private';
  if (desired.os_hidden) request.os_hidden = true;
  request.min_disk = desired.min_disk ?? 0;
  request.min_ram = desired.min_ram ?? 0;
  request.tags = createdTags(desired, tag);
  if (id) request.id = id;
  return request;
}

/** The image `createRequest` creates, once its data is in: what an import's changes start from. */
export function asCreated(desired: DesiredImage, tag: string): ImageState {
  // Assigned one by one: a spread of a dozen properties costs several times the object (a diff per import).
  const state = createdProperties(desired) as ImageState;
  state.name = desired.name;
  state.status = 'active';
  state.visibility = 'private';
  state.os_hidden = desired.os_hidden === true;
  state.tags = createdTags(desired, tag);
  state.min_disk = desired.min_disk ?? 0;
  state.min_ram = desired.min_ram ?? 0;
  return state;
}

/** The properties the image is created with: every one it should have (a null value: one it should not). */
function createdProperties(desired: DesiredImage): Record<string, string> {
  // Until a run has verified the data: one that finds the image active then verifies it before publishing it.
  const out: Record<string, string> = { [VERIFICATION_PROPERTY]: VERIFICATION_PENDING };
  for (const key in desired.properties) {
    const value = desired.properties[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Its tags: the desired ones, the managed tag always among them. */
function createdTags(desired: DesiredImage, tag: string): string[] {
  const tags = desired.tags ?? [];
  return tags.includes(tag) ? [...tags] : [...tags, tag];
}
