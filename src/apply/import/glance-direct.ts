import { checkSource, expectedOf } from './checksum.js';
import { report } from './job.js';
import type { ImportStrategy } from './strategy.js';
import { isFull, within } from './permits.js';
import { ensureQueued } from './replacement.js';
import { stage } from './staging.js';
import { readHashes, readDone, refusedFormat } from './verify.js';

/**
 * This tool streams the source through its format check and hashes into Glance's staging area (within an upload
 * permit, --parallel), compares the digest with the checksum, then has Glance import what was staged; once it
 * is active, Glance's stored hash is checked against the digest of what was sent (verify.ts). The image is
 * `uploading` once data is staged: one left so with no import running failed half way (a run died between
 * staging and import).
 */
export const glanceDirect: ImportStrategy = {
  name: 'glance-direct',
  throughThisTool: true,
  retried: false,
  failedStatus: 'uploading',
  working: { phase: 'importing' },
  describe: (url) => `streaming ${url} into Glance (glance-direct)`,
  async start(context, job) {
    // Glance stages only into a queued image (a web-download's start tells that by its 409 instead).
    await ensureQueued(context, job);
    const upload = () => stage(context, job, readHashes(context, job));
    // The bytes through this tool are what --parallel bounds; the wait after them holds no upload permit.
    const { uploads } = job.permits;
    if (uploads && isFull(uploads)) report(job, 'waiting', 'for an upload slot (--parallel)');
    job.read?.cancel();
    const name = job.image.name ?? job.image.id;
    const sent = await within(uploads, upload).catch((error: unknown) => {
      throw refusedFormat(error, name);
    });
    checkSource(name, expectedOf(job.source), sent);
    await context.glance.importImage(job.image.id, { name: 'glance-direct' });
    job.read = readDone(sent);
    return { state: 'started', read: job.read };
  },
};
