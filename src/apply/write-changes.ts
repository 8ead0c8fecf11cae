import type { Logger } from 'pino';
import { isHttpStatus } from '../openstack/errors.js';
import { type GlanceClient, type PatchOperation, patchApplied } from '../openstack/image.js';
import { isPropertyChange, propertyKey, tagDelta } from '../plan/diff.js';
import type { Change } from '../plan/types.js';

/** The requests for a list of changes: one PATCH for every field, then the tag calls, then the status. */
export async function writeChanges(
  glance: GlanceClient,
  imageId: string,
  changes: Change[],
  name: string,
  log: Logger,
): Promise<void> {
  const patch = patchOf(changes);
  if (patch.length > 0) await patchImage(glance, imageId, patch);
  for (const change of changes) {
    if (change.field === 'tags') {
      const { add, remove } = tagDelta(change);
      for (const tag of add) await glance.addTag(imageId, tag);
      for (const tag of remove) await glance.removeTag(imageId, tag);
    }
  }
  for (const change of changes) {
    if (change.field !== 'status') continue;
    log.info(`${change.after === 'deactivated' ? 'Deactivating' : 'Reactivating'} image '${name}'`);
    if (change.after === 'deactivated') await glance.deactivate(imageId);
    else await glance.reactivate(imageId);
  }
}

/**
 * One PATCH. Glance refuses (409) to remove a property that is not there: when the image, read back, shows the
 * whole patch in place (another run, or this run's earlier attempt, did it), that is done.
 */
async function patchImage(glance: GlanceClient, imageId: string, patch: PatchOperation[]): Promise<void> {
  try {
    await glance.updateImage(imageId, patch);
  } catch (error) {
    if (!isHttpStatus(error, 409) || !patch.some((operation) => operation.op === 'remove')) throw error;
    if (!patchApplied(await glance.getImage(imageId), patch)) throw error;
  }
}

/** Glance's JSON patch for the changes that are fields of the image (tags and status have calls of their own). */
export function patchOf(changes: Change[]): PatchOperation[] {
  const patch: PatchOperation[] = [];
  for (const change of changes) {
    if (isPropertyChange(change)) {
      const path = `/${escapePointer(propertyKey(change))}`;
      patch.push(change.after === null ? { op: 'remove', path } : { op: 'add', path, value: change.after });
    } else if (change.field !== 'tags' && change.field !== 'status') {
      patch.push({ op: 'replace', path: `/${change.field}`, value: change.after });
    }
  }
  return patch;
}

/** RFC 6901: `~` and `/` inside a property name. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
