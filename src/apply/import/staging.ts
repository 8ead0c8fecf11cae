import { ConnectionError, outcomeUnknown } from '../../openstack/errors.js';
import type { ImportProgress } from '../observer.js';
import { declaredFormat, type ImportContext, type Job, report } from './job.js';
import { messageOf } from './outcome.js';
import { digesting, type SourceDigests } from '../../sources/read-through.js';

/** Uploads of the staging data again after an answer was lost before Glance took it. */
const STAGE_REPEATS = 2;

/**
 * Uploads the source into the image's staging area, checked against the declared format first; the digests
 * (one per algorithm of `algos`) of what went up. An upload whose answer was lost is asked about: staged
 * (uploading) is done, still queued is uploaded again.
 */
export async function stage(context: ImportContext, job: Job, algos: readonly string[]): Promise<SourceDigests> {
  const { glance, log, sources } = context;
  for (let attempt = 0; ; attempt++) {
    const format = declaredFormat(job);
    const { stream, size } = await sources.open(job.source.url, format ? { format } : {});
    log.info(`Uploading ${job.source.url} to the staging area of ${job.image.name}${size ? ` (${size} bytes)` : ''}`);
    report(job, 'uploading');
    const read = digesting(stream, algos);
    const body = counted(read.stream, job.progress, size);
    try {
      await glance.stageImage(job.image.id, body, size !== undefined ? { size } : {});
      return read.result();
    } catch (error) {
      if (!(outcomeUnknown(error) || error instanceof ConnectionError) || attempt >= STAGE_REPEATS) throw error;
      const { status } = await glance.getImage(job.image.id);
      if (status === 'uploading') return read.result();
      if (status !== 'queued') throw error;
      log.warn(`Uploading to the staging area of ${job.image.name} failed (${messageOf(error)}); uploading again`);
    }
  }
}

/** The stream as it is, each chunk's bytes told to `progress` (the running total) as it passes. */
function counted(
  stream: ReadableStream<Uint8Array>,
  progress: ImportProgress | undefined,
  total: number | undefined,
): ReadableStream<Uint8Array> {
  if (!progress) return stream;
  let sent = 0;
  progress.bytes(0, total);
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        progress.bytes(sent, total);
        controller.enqueue(chunk);
      },
    }),
  );
}
