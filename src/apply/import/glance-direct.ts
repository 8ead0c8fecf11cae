import { checkStreamed } from './checksum.js';
import { report } from './job.js';
import type { ImportStrategy } from './strategy.js';
import { isFull, within } from './permits.js';
import { ensureQueued } from './replacement.js';
import { stage } from './staging.js';

/**
 * This tool streams the source through a hash into Glance's staging area (within an upload permit, --parallel),
 * compares the digest with the checksum, then has Glance import what was staged. The image is `uploading` once
 * data is staged: one left so with no import running failed half way (a run died between staging and import).
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
    const { checksum } = job.source;
    // Without a checksum to compare with there is nothing to hash for (about 1 s of CPU per GiB saved).
    const upload = () => stage(context, job, checksum?.algo);
    // The bytes through this tool are what --parallel bounds; the wait after them holds no upload permit.
    const { uploads } = job.permits;
    if (uploads && isFull(uploads)) report(job, 'waiting', 'for an upload slot (--parallel)');
    checkStreamed(job.image, checksum, await within(uploads, upload));
    await context.glance.importImage(job.image.id, { name: 'glance-direct' });
    return { state: 'started', streamedAndChecked: checksum !== undefined };
  },
};
