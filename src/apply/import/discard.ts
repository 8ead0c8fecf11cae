import type { Logger } from 'pino';
import { isHttpStatus } from '../../openstack/errors.js';
import type { GlanceClient, GlanceImage } from '../../openstack/image.js';
import { ImportFailure, messageOf } from './outcome.js';

/** Deletes an image of ours; one that is gone already (404) counts as deleted. */
export async function deleteUnfinished(glance: GlanceClient, log: Logger, image: GlanceImage): Promise<void> {
  try {
    await glance.deleteImage(image.id);
  } catch (error) {
    if (!isHttpStatus(error, 404)) throw error;
  }
  log.warn(`Deleted the unfinished image ${image.name} (${image.id})`);
}

/**
 * Deletes an image of ours that could not be finished: the failure to report, naming the image when it
 * could not be deleted.
 */
export async function abandon(
  glance: GlanceClient,
  log: Logger,
  image: GlanceImage,
  error: unknown,
): Promise<ImportFailure> {
  const reason = messageOf(error);
  try {
    await deleteUnfinished(glance, log, image);
    return new ImportFailure(reason);
  } catch (deleteError) {
    const why = messageOf(deleteError);
    return new ImportFailure(`${reason}; the unfinished image ${image.id} could not be deleted (${why})`, image.id);
  }
}
