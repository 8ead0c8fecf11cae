import { ConnectionError, outcomeUnknown } from '../../openstack/errors.js';
import { declaredFormat, type ImportContext, type Job, readUrlOf, report } from './job.js';
import { messageOf } from './outcome.js';
import type { HashPlan, SourceDigests } from '../../sources/read-through.js';
import { counted } from '../../sources/web-stream.js';

/** Uploads of the staging data again after an answer was lost before Glance took it. */
const STAGE_REPEATS = 2;

/**
 * Uploads the source into the image's staging area (a packed one unpacked on the way), checked against the
 * declared format first; the digests (as `hash` says) of what went up. An upload whose answer was lost is asked
 * about: staged (uploading) is done, still queued is uploaded again. A fault of the packed source's own bytes
 * is the failure, whatever the upload made of it.
 */
export async function stage(context: ImportContext, job: Job, hash: HashPlan): Promise<SourceDigests> {
  const { glance, log, sources } = context;
  for (let attempt = 0; ; attempt++) {
    const format = declaredFormat(job);
    const read = await sources.open(readUrlOf(job.source), { hash, ...(format ? { format } : {}) });
    const { size } = read;
    const digests = read.digests as () => SourceDigests;
    const what = size ? ` (${size} bytes)` : read.fault ? ' (unpacked on the way)' : '';
    log.info(`Uploading ${job.source.url} to the staging area of ${job.image.name}${what}`);
    report(job, 'uploading');
    const { progress } = job;
    progress?.bytes(0, size);
    const body = progress ? counted(read.stream, (sent) => progress.bytes(sent, size)) : read.stream;
    try {
      await glance.stageImage(job.image.id, body, size !== undefined ? { size } : {});
      return digests();
    } catch (error) {
      const fault = read.fault?.();
      if (fault) throw fault;
      if (!(outcomeUnknown(error) || error instanceof ConnectionError) || attempt >= STAGE_REPEATS) throw error;
      const { status } = await glance.getImage(job.image.id);
      if (status === 'uploading') return digests();
      if (status !== 'queued') throw error;
      log.warn(`Uploading to the staging area of ${job.image.name} failed (${messageOf(error)}); uploading again`);
    }
  }
}
