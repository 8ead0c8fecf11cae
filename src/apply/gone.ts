import type { ImageStatus } from '../openstack/image.js';

const GONE = new Set<ImageStatus>(['killed', 'deleted', 'pending_delete']);

/** The image is dead or being deleted: it never becomes active again. */
export function isGone(status: ImageStatus): boolean {
  return GONE.has(status);
}
