import { isHttpStatus } from '../../openstack/errors.js';
import type { CreateImage, GlanceImage } from '../../openstack/image.js';
import { createRequest } from '../../plan/new-image.js';
import type { DesiredImage, ImportSource } from '../../plan/types.js';
import { isGone } from '../gone.js';
import { carriesIdentity, versionImageId } from '../image-ids.js';
import type { ImportContext } from './job.js';
import { ImportFailure } from './outcome.js';

/** How many ids of a version's sequence a create tries before it leaves the id to Glance. */
const MAX_ID_POSITIONS = 100;

/** A create's result; `position` is where the image's id is in the version's sequence (-1 outside it). */
export interface Created {
  state: 'created' | 'other-run';
  image: GlanceImage;
  position: number;
}

type Claim = { state: 'created' | 'other-run'; image: GlanceImage } | { state: 'used' };

/** The version's next image is another run's: this run stops and leaves the version to it. */
export class OtherRun extends Error {
  constructor(readonly image: GlanceImage) {
    super(`another run holds image ${image.id}`);
  }
}

/**
 * Creates the version's image: with the id its definition fixes; else, knowing the project, with the first
 * id of the version's sequence (from position `from`) that Glance takes; else with an id Glance chooses.
 */
export async function createImage(
  context: ImportContext,
  desired: DesiredImage,
  source: Pick<ImportSource, 'id'>,
  from: number,
): Promise<Created> {
  const { tag, projectId } = context.settings;
  const request = createRequest(desired, tag);
  if (source.id) {
    const claimed = await claim(context, request, source.id, desired);
    if (claimed.state !== 'used') return { ...claimed, position: -1 };
    throw new ImportFailure(
      `cannot create ${desired.name} with the id ${source.id} its definition fixes: Glance has, or had, an image ` +
        'with that id (Glance never reuses the id of a deleted image)',
    );
  }
  for (let position = from; projectId && position < MAX_ID_POSITIONS; position++) {
    const claimed = await claim(context, request, versionImageId(projectId, desired, position), desired);
    if (claimed.state !== 'used') return { ...claimed, position };
  }
  if (projectId) context.log.warn(`All ${MAX_ID_POSITIONS} ids of ${desired.name} are used; Glance picks one`);
  return { state: 'created', image: await context.glance.createImage(request), position: -1 };
}

/**
 * Creates the image with the id. Glance answers 409 for an id it has seen: an image of the version there is
 * another run's (the client already recovers a create of ours whose answer was lost); none, or a dead one,
 * means the id is used up.
 */
async function claim(context: ImportContext, request: CreateImage, id: string, desired: DesiredImage): Promise<Claim> {
  try {
    return { state: 'created', image: await context.glance.createImage({ ...request, id }) };
  } catch (error) {
    if (!isHttpStatus(error, 409)) throw error;
  }
  const holder = await lookUp(context, id);
  if (holder && carriesIdentity(holder, desired) && !isGone(holder.status)) {
    return { state: 'other-run', image: holder };
  }
  context.log.debug(`Image id ${id} for ${desired.name} is used up; trying the next one`);
  return { state: 'used' };
}

async function lookUp(context: ImportContext, id: string): Promise<GlanceImage | undefined> {
  try {
    return await context.glance.getImage(id);
  } catch (error) {
    if (isHttpStatus(error, 404)) return undefined;
    throw error;
  }
}
