import { isHttpStatus } from '../../openstack/errors.js';
import { type ImportContext, type Job, readUrlOf } from './job.js';
import type { ImportStrategy, Started } from './strategy.js';
import { ensureQueued } from './replacement.js';
import { readSource } from './verify.js';

/**
 * Glance fetches the source itself, and this tool reads it once at the same time (verify.ts): what Glance stored
 * is checked against that read before the image is published. A failed web-download puts it back into `queued`.
 */
export const webDownload: ImportStrategy = {
  name: 'web-download',
  throughThisTool: false,
  retried: true,
  failedStatus: 'queued',
  working: { phase: 'downloading', detail: 'by Glance' },
  describe: (url) => `Glance downloading ${url} (web-download)`,
  async start(context, job, again) {
    if (again) await ensureQueued(context, job);
    return startWebDownload(context, job);
  },
};

/**
 * Glance refuses a web-download (409) when the image is no longer queued: if another run has finished it
 * meanwhile, it is taken as done.
 */
async function startWebDownload(context: ImportContext, job: Job): Promise<Started> {
  const { glance, log } = context;
  try {
    await glance.importImage(job.image.id, { name: 'web-download', uri: readUrlOf(job.source) });
    if (!context.settings.wait) return { state: 'started' };
    job.read ??= readSource(context, job);
    return { state: 'started', read: job.read };
  } catch (error) {
    if (!isHttpStatus(error, 409)) throw error;
    const current = await glance.getImage(job.image.id);
    if (current.status !== 'active') throw error;
    log.info(`${current.name} became active meanwhile (another run imported it)`);
    return { state: 'active', image: current };
  }
}
