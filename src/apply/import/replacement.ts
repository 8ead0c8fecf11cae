import { createImage, OtherRun } from './claims.js';
import { deleteUnfinished } from './discard.js';
import type { ImportContext, Job } from './job.js';
import { ImportFailure, messageOf } from './outcome.js';

/**
 * Makes sure the job has an image to import into: Glance takes an import only into a queued image, so a stuck
 * one that is no longer queued is deleted and a fresh one created (with the next id of the version's sequence).
 */
export async function ensureQueued(context: ImportContext, job: Job): Promise<void> {
  const { glance, log } = context;
  const { desired, image } = job;
  const current = await glance.getImage(image.id);
  // A queued image still locked by a dead import task (Glance restarted) refuses imports for an hour.
  if (current.status === 'queued' && !current.os_glance_import_task) return;
  if (job.source.id) {
    throw new ImportFailure(
      `cannot import ${desired.name} again: the image is ${current.status}, and the id its definition fixes ` +
        'cannot go to a fresh image',
    );
  }
  const state = current.os_glance_import_task ? `${current.status}, locked by a dead import task` : current.status;
  log.warn(`Replacing the stuck image ${image.name} (${image.id}, ${state}) with a fresh one`);
  try {
    await deleteUnfinished(glance, log, image);
  } catch (error) {
    throw new ImportFailure(`cannot replace the stuck image ${image.id}: ${messageOf(error)}`, image.id);
  }
  job.discarded = true;
  const created = await createImage(context, desired, job.source, job.nextPosition);
  if (created.state === 'other-run') throw new OtherRun(created.image);
  Object.assign(job, { image: created.image, nextPosition: created.position + 1, discarded: false });
}
