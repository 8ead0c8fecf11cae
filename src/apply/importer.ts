import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Checksum } from '../definitions/types.js';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';
import type { SourceReader } from '../sources/source.js';
import { createRequest } from '../plan/new-image.js';
import type { DesiredImage, ImportSource } from '../plan/types.js';

export interface ImportSettings {
  /** The managed tag, written at creation so that a half-imported image is known as ours. */
  tag: string;
  /** false with --no-wait: start the import and leave it to Glance (the next run finishes it). */
  wait: boolean;
  importTimeoutMs: number;
  /** Further web-download attempts when one fails or is stuck. */
  stuckRetry: number;
  prefetch: 'never' | 'on-stuck' | 'always';
  /** Import methods Glance offers (GET /v2/info/import). */
  methods: string[];
  /** A queued image with no running import task is stuck after this long. */
  stuckAfterMs?: number;
  pollInitialMs?: number;
  pollMaxMs?: number;
}

export interface ImportDeps {
  glance: GlanceClient;
  sources: SourceReader;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export type ImportOutcome =
  | { state: 'active'; image: GlanceImage; checksum: 'verified' | 'unverifiable' | 'none' }
  | { state: 'started'; image: GlanceImage };

/** An import that failed; `leftBehind` names an image the tool could not clean up. */
export class ImportFailure extends Error {
  override readonly name = 'ImportFailure';
  constructor(
    message: string,
    readonly leftBehind?: string,
  ) {
    super(message);
  }
}

type WaitResult = { state: 'active'; image: GlanceImage } | { state: 'failed' | 'stuck' | 'timeout'; reason: string };

/**
 * Imports one image version: tests the source, creates the image (private, tagged), imports it by
 * web-download or streams it by glance-direct, waits until it is active and checks its checksum.
 * An image it created and could not finish is deleted again, or named in the error.
 */
export class Importer {
  constructor(
    private readonly deps: ImportDeps,
    private readonly settings: ImportSettings,
  ) {}

  async importNew(desired: DesiredImage, source: ImportSource): Promise<ImportOutcome> {
    const { glance, log, sources } = this.deps;
    log.info(`Importing image ${desired.name}`);
    log.info(`Importing from URL ${source.url}`);
    const probe = await sources.probe(source.url);
    if (!probe.ok) {
      throw new ImportFailure(
        `Tested URL ${source.url}: ${probe.message ?? probe.status}; ${desired.name} not imported`,
      );
    }
    log.info(`Tested URL ${source.url}: ${probe.status}`);

    const image = await glance.createImage(createRequest(desired, this.settings.tag, source.id));
    return this.finish(image, source, false);
  }

  /** An image of ours an earlier run left in queued/importing/saving: wait for it, or import it again. */
  async resume(image: GlanceImage, source: ImportSource): Promise<ImportOutcome> {
    this.deps.log.info(`Finishing the import of ${image.name ?? image.id} (${image.status})`);
    let running = image.status !== 'queued';
    if (!running) {
      const [task] = await this.tasks(image.id);
      running = task?.status === 'pending' || task?.status === 'processing';
    }
    if (running && !this.settings.wait) return { state: 'started', image };
    return this.finish(image, source, running);
  }

  /** Brings the image to active; an image that cannot be finished is deleted again, or named in the error. */
  private async finish(image: GlanceImage, source: ImportSource, alreadyRunning: boolean): Promise<ImportOutcome> {
    const deadline = this.deps.now() + this.settings.importTimeoutMs;
    try {
      return await this.bringToActive(image, source, deadline, alreadyRunning);
    } catch (error) {
      throw await this.cleanUp(image, error);
    }
  }

  private async bringToActive(
    image: GlanceImage,
    source: ImportSource,
    deadline: number,
    alreadyRunning: boolean,
  ): Promise<ImportOutcome> {
    const { log } = this.deps;
    const direct =
      source.url.startsWith('file:') || this.settings.prefetch === 'always' || !this.offers('web-download');
    if (direct && alreadyRunning) {
      // An import an earlier run started: wait for it rather than stage into an image that is not queued.
      const result = await this.waitForActive(image, deadline);
      if (result.state === 'active') return this.verified(result.image, source.checksum, false);
      if (result.state === 'timeout') throw new ImportFailure(`import of ${image.name} failed: ${result.reason}`);
      log.warn(`Import of ${image.name} did not finish: ${result.reason}; streaming it again`);
    }
    if (direct) return this.directImport(image, source, deadline);

    const attempts = this.settings.stuckRetry + 1;
    let last: Exclude<WaitResult, { state: 'active' }> | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) log.info(`Retry attempt ${attempt}/${this.settings.stuckRetry} for image ${image.name}`);
      if (!(alreadyRunning && attempt === 0)) {
        await this.deps.glance.importImage(image.id, { name: 'web-download', uri: source.url });
        if (!this.settings.wait) return { state: 'started', image };
      }
      const result = await this.waitForActive(image, deadline);
      if (result.state === 'active') return this.verified(result.image, source.checksum, false);
      last = result;
      log.warn(`Web-download import of ${image.name} did not finish: ${last.reason}`);
      if (last.state === 'timeout') break;
    }
    if (this.settings.prefetch === 'on-stuck' && this.offers('glance-direct') && last?.state !== 'timeout') {
      log.warn(`Falling back to streaming ${source.url} into Glance (glance-direct) for ${image.name}`);
      return this.directImport(image, source, deadline);
    }
    throw new ImportFailure(`import of ${image.name} failed: ${last?.reason ?? 'no attempt made'}`);
  }

  /** Streams the source through a hash into Glance's staging area, then imports it by glance-direct. */
  private async directImport(image: GlanceImage, source: ImportSource, deadline: number): Promise<ImportOutcome> {
    const { glance, log, sources } = this.deps;
    if (!this.offers('glance-direct'))
      throw new ImportFailure(`Glance offers neither web-download nor glance-direct for ${image.name}`);
    const current = await glance.getImage(image.id);
    if (current.status !== 'queued') {
      throw new ImportFailure(`cannot stage data for ${image.name}: the image is ${current.status}, not queued`);
    }
    const algo = source.checksum?.algo ?? 'sha512';
    const hash = createHash(algo);
    const { stream, size } = await sources.open(source.url);
    const hashing = stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          hash.update(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    log.info(`Uploading ${source.url} to the staging area of ${image.name}${size ? ` (${size} bytes)` : ''}`);
    await glance.stageImage(image.id, hashing, size !== undefined ? { size } : {});
    const digest = hash.digest('hex');
    if (source.checksum && digest !== source.checksum.hex.toLowerCase()) {
      throw new ImportFailure(
        `checksum mismatch for ${image.name}: ${algo} is ${digest}, expected ${source.checksum.hex}`,
      );
    }
    await glance.importImage(image.id, { name: 'glance-direct' });
    if (!this.settings.wait) return { state: 'started', image };
    const result = await this.waitForActive(image, deadline);
    if (result.state !== 'active')
      throw new ImportFailure(`glance-direct import of ${image.name} failed: ${result.reason}`);
    return this.verified(result.image, source.checksum, source.checksum !== undefined);
  }

  /**
   * Polls fast at first, then backs off. Glance puts a failed web-download back into `queued`, so a
   * queued image is asked for its import tasks to tell a failure from a wait.
   */
  private async waitForActive(image: GlanceImage, deadline: number): Promise<WaitResult> {
    const { glance, log, sleep, now } = this.deps;
    let delay = this.settings.pollInitialMs ?? 1000;
    const maxDelay = this.settings.pollMaxMs ?? 15_000;
    const stuckAfter = this.settings.stuckAfterMs ?? 60_000;
    let queuedSince: number | undefined;
    for (;;) {
      const current = await glance.getImage(image.id);
      if (current.status === 'active') {
        log.info(`Import of '${current.name}' successfully completed`);
        return { state: 'active', image: current };
      }
      if (current.status === 'killed' || current.status === 'deleted' || current.status === 'pending_delete') {
        return { state: 'failed', reason: `image is ${current.status}` };
      }
      // A queued image after a failed web-download, or an uploading one whose run died before its
      // glance-direct import started: either way no import task is running for it.
      if (current.status === 'queued' || current.status === 'uploading') {
        const [task] = await this.tasks(image.id);
        if (task?.status === 'failure') return { state: 'failed', reason: task.message || 'import task failed' };
        const running = task?.status === 'pending' || task?.status === 'processing';
        queuedSince = running ? undefined : (queuedSince ?? now());
        if (queuedSince !== undefined && now() - queuedSince >= stuckAfter) {
          return {
            state: 'stuck',
            reason: `still ${current.status} after ${Math.round(stuckAfter / 1000)} s with no import task running`,
          };
        }
      } else {
        queuedSince = undefined;
      }
      if (now() + delay > deadline)
        return { state: 'timeout', reason: `not active within the import timeout (${current.status})` };
      log.debug({ image: current.name, status: current.status }, 'Waiting for import to complete...');
      await sleep(delay);
      delay = Math.min(maxDelay, Math.round(delay * 1.5));
    }
  }

  private async verified(
    image: GlanceImage,
    checksum: Checksum | undefined,
    streamedAndChecked: boolean,
  ): Promise<ImportOutcome> {
    if (!checksum) return { state: 'active', image, checksum: 'none' };
    const stored = storedDigest(image, checksum.algo);
    if (stored === undefined) {
      if (!streamedAndChecked) {
        this.deps.log.warn(
          `Checksum of ${image.name} not verified: Glance stores ${image.os_hash_algo ?? 'no'} hash, ` +
            `the definition gives ${checksum.algo}`,
        );
      }
      return { state: 'active', image, checksum: streamedAndChecked ? 'verified' : 'unverifiable' };
    }
    if (stored !== checksum.hex.toLowerCase()) {
      throw new ImportFailure(
        `checksum mismatch for ${image.name}: Glance stored ${checksum.algo} ${stored}, ` +
          `the definition expects ${checksum.hex}`,
      );
    }
    this.deps.log.info(`Verified ${checksum.algo} checksum of ${image.name}`);
    return { state: 'active', image, checksum: 'verified' };
  }

  private async cleanUp(image: GlanceImage, error: unknown): Promise<ImportFailure> {
    const reason = error instanceof Error ? error.message : String(error);
    try {
      await this.deps.glance.deleteImage(image.id);
      this.deps.log.warn(`Deleted the unfinished image ${image.name} (${image.id})`);
      return new ImportFailure(reason);
    } catch (deleteError) {
      const why = deleteError instanceof Error ? deleteError.message : String(deleteError);
      return new ImportFailure(`${reason}; the unfinished image ${image.id} could not be deleted (${why})`, image.id);
    }
  }

  private async tasks(imageId: string) {
    try {
      return await this.deps.glance.listTasks(imageId);
    } catch {
      return []; // Glance before API 2.12 has no image tasks
    }
  }

  private offers(method: string): boolean {
    return this.settings.methods.includes(method);
  }
}

/** The digest Glance stored for the algorithm, when it stored one: os_hash_value, or the md5 `checksum`. */
export function storedDigest(image: GlanceImage, algo: string): string | undefined {
  if (image.os_hash_algo === algo && image.os_hash_value) return image.os_hash_value.toLowerCase();
  if (algo === 'md5' && image.checksum) return image.checksum.toLowerCase();
  return undefined;
}
