import { isHttpStatus } from '../openstack/errors.js';
import { describeChanges } from '../plan/diff.js';
import type { DeleteAction, RenameAction, UpdateAction } from '../plan/types.js';
import type { ActionResult, ApplyDeps, Outcome } from './executor.js';
import { writeChanges } from './write-changes.js';

export async function update(action: UpdateAction, deps: ApplyDeps): Promise<Outcome> {
  deps.log.info(`Updating ${action.name}: ${describeChanges(action.changes)}`);
  await writeChanges(deps.glance, action.imageId, action.changes, action.name, deps.log);
  return { status: 'done', imageId: action.imageId };
}

export async function rename(action: RenameAction, before: ActionResult[], deps: ApplyDeps): Promise<Outcome> {
  const ref = action.image;
  const imageId = 'imageId' in ref ? ref.imageId : before.find((result) => result.seq === ref.importSeq)?.imageId;
  if (!imageId) throw new Error(`no image to rename: #${'importSeq' in ref ? ref.importSeq : '?'} created none`);
  deps.log.info(`Renaming ${ref.name} to ${action.to}`);
  await writeChanges(deps.glance, imageId, action.changes, action.to, deps.log);
  return { status: 'done', imageId };
}

export async function remove(action: DeleteAction, deps: ApplyDeps): Promise<Outcome> {
  const { glance, log } = deps;
  log.info(`Deleting ${action.name} (${action.reason})`);
  try {
    await glance.deleteImage(action.imageId);
    return { status: 'done', imageId: action.imageId };
  } catch (error) {
    if (isHttpStatus(error, 404)) {
      return { status: 'done', imageId: action.imageId, message: 'already gone' };
    }
    if (!isHttpStatus(error, 409)) throw error;
    // Glance refuses to delete an image in use: keep it out of sight and try again on a later run.
    log.warn(`Image '${action.name}' is in use and cannot be deleted; hiding it instead`);
    await writeChanges(
      glance,
      action.imageId,
      action.fallback.filter((change) => change.field !== 'status'),
      action.name,
      log,
    );
    // Deactivating is as far as retiring goes; hidden is what matters.
    const status = action.fallback.filter((change) => change.field === 'status');
    await writeChanges(glance, action.imageId, status, action.name, log).catch(() => undefined);
    return { status: 'done', imageId: action.imageId, message: 'in use: hidden instead of deleted' };
  }
}
