import { createHash, type Hash } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { Checksum } from '../definitions/types.js';
import { ConnectionError, isHttpStatus, outcomeUnknown } from '../openstack/errors.js';
import type { CreateImage, GlanceClient, GlanceImage } from '../openstack/image.js';
import type { SourceReader } from '../sources/source.js';
import { createRequest } from '../plan/new-image.js';
import type { DesiredImage, ImportSource } from '../plan/types.js';
import { carriesIdentity, versionImageId } from './image-ids.js';
import type { ImportPhase, ImportProgress } from './observer.js';
import { importTasks, isLive } from './stuck.js';
import { type WaitResult, Watcher } from './watcher.js';

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
  /** A queued, uploading or importing image with no import task running is stuck after this long (60 s). */
  stuckAfterMs?: number;
  /** A running import task whose updated_at has not changed for this long is stuck (10 min). */
  taskStaleMs?: number;
  /**
   * The project the images are created in (the token's). With it, a new image gets its version's deterministic
   * id (see `versionImageId`), and Glance's 409 keeps a version to one image across runs and hosts.
   */
  projectId?: string;
  /** The watcher's time between two looks at the imports in flight (default 250 ms). */
  pollMs?: number;
  /** How often the tasks of an import that looks stuck or failed are read (default 5 s). */
  tasksEveryMs?: number;
}

export interface ImportDeps {
  glance: GlanceClient;
  sources: SourceReader;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** The run's one watcher of the imports in flight; by default the importer makes its own. */
  watcher?: Watcher;
}

/** Runs work within a bound; p-limit's counts, when it has them, tell whether the work will wait. */
type Slot = (<T>(work: () => Promise<T>) => Promise<T>) & {
  activeCount?: number;
  pendingCount?: number;
  concurrency?: number;
};

/** Whether work given to the slot now waits for another to finish first. */
function isFull(slot: Slot): boolean {
  const { activeCount, pendingCount = 0, concurrency } = slot;
  return activeCount !== undefined && concurrency !== undefined && activeCount + pendingCount >= concurrency;
}

/** What an import shares with the run's other imports: the bounds on what costs. */
export interface ImportSlots {
  /**
   * Imports in flight on the Glance side (--max-importing): held from the start of the import (web-download,
   * or the upload to the staging area) until the image is active or the import given up, not while the image
   * is probed and created.
   */
  importing?: Slot;
  /** Uploads through this tool to Glance's staging area (--parallel). */
  uploads?: Slot;
}

export type ImportOutcome =
  | { state: 'active'; image: GlanceImage; checksum: 'verified' | 'unverifiable' | 'none' }
  | { state: 'started'; image: GlanceImage }
  /** Another run holds the version's image (creating, importing or done): this run left it alone. */
  | { state: 'other-run'; image: GlanceImage };

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

/** How many ids of a version's sequence a create tries before it leaves the id to Glance. */
export const MAX_ID_POSITIONS = 100;
/** Probes (HEAD) at once to one source host. */
const PROBES_PER_HOST = 6;
/** Uploads of the staging data again after an answer was lost before Glance took it. */
const STAGE_REPEATS = 2;
const GONE = new Set(['killed', 'deleted', 'pending_delete']);

type Claim = { state: 'created' | 'other-run'; image: GlanceImage } | { state: 'used' };
/** A create's result; `position` is where the image's id is in the version's sequence (-1 outside it). */
interface Created {
  state: 'created' | 'other-run';
  image: GlanceImage;
  position: number;
}

/** One version's import in this run. A stuck image that is no longer queued is replaced by a fresh one. */
interface Job {
  desired: DesiredImage;
  source: ImportSource;
  image: GlanceImage;
  deadline: number;
  /** The position in the version's id sequence a replacement starts from. */
  nextPosition: number;
  /** The image was deleted here (replacing it): nothing left to clean up. */
  discarded: boolean;
  slots: ImportSlots;
  /** Whoever watches the import's phases and bytes; the phase it was last told. */
  progress?: ImportProgress;
  phase?: ImportPhase;
}

/** The version's next image is another run's: this run stops and leaves the version to it. */
class OtherRun extends Error {
  constructor(readonly image: GlanceImage) {
    super(`another run holds image ${image.id}`);
  }
}

/**
 * Imports one image version: tests the source, creates the image (private, fully described: every property and
 * tag, the version's deterministic id), imports it by web-download or streams it by glance-direct within the
 * run's slots, waits with the run's one watcher until it is active and checks its checksum. A stuck import is
 * retried (into a fresh image when the stuck one cannot take another import). An image it created and could not
 * finish is deleted again, or named in the error.
 */
export class Importer {
  private readonly watcher: Watcher;
  /** Probes at once per source host: as many connections as a browser opens to one host. */
  private readonly probesPerHost = new Map<string, LimitFunction>();

  constructor(
    private readonly deps: ImportDeps,
    private readonly settings: ImportSettings,
  ) {
    this.watcher =
      deps.watcher ??
      new Watcher(deps, {
        ...(settings.pollMs !== undefined ? { intervalMs: settings.pollMs } : {}),
        ...(settings.tasksEveryMs !== undefined ? { tasksEveryMs: settings.tasksEveryMs } : {}),
        ...(settings.stuckAfterMs !== undefined ? { stuckAfterMs: settings.stuckAfterMs } : {}),
        ...(settings.taskStaleMs !== undefined ? { taskStaleMs: settings.taskStaleMs } : {}),
      });
  }

  async importNew(
    desired: DesiredImage,
    source: ImportSource,
    slots: ImportSlots = {},
    progress?: ImportProgress,
  ): Promise<ImportOutcome> {
    const { log, sources } = this.deps;
    progress?.phase('creating');
    log.info(`Importing image ${desired.name}`);
    log.info(`Importing from URL ${source.url}`);
    const probe = await this.probeLimit(source.url)(() => sources.probe(source.url));
    if (!probe.ok) {
      throw new ImportFailure(
        `Tested URL ${source.url}: ${probe.message ?? probe.status}; ${desired.name} not imported`,
      );
    }
    log.info(`Tested URL ${source.url}: ${probe.status}`);

    const created = await this.create(desired, source, 0);
    if (created.state === 'other-run') return this.otherRun(desired, created.image);
    return this.finish(this.job(desired, source, created.image, created.position + 1, slots, progress), false);
  }

  /** An image of ours an earlier run left in queued/importing/saving: wait for it, or import it again. */
  async resume(
    image: GlanceImage,
    source: ImportSource,
    desired: DesiredImage,
    slots: ImportSlots = {},
    progress?: ImportProgress,
  ): Promise<ImportOutcome> {
    progress?.phase('waiting', `Glance: ${image.status}`);
    this.deps.log.info(`Finishing the import of ${image.name ?? image.id} (${image.status})`);
    const tasks = image.status === 'queued' ? await importTasks(this.deps.glance, image.id) : undefined;
    const running = image.status !== 'queued' || isLive(tasks?.[0]);
    if (running && !this.settings.wait) return { state: 'started', image };
    const job = this.job(desired, source, image, 0, slots, progress);
    if (!running && tasks?.length === 0 && this.settings.wait) {
      // A queued image that was never imported may be another run's, created a moment ago and about to be
      // imported: it is watched until it stays still, and only then imported here; if that run imports it
      // meanwhile, that run also finishes it.
      const settled = await this.watcher.watch(image, job.deadline, this.seen(job));
      if (settled.state === 'active') return this.otherRun(desired, settled.image);
    }
    return this.finish(job, running);
  }

  /**
   * Deletes an image of ours that could not be finished: the failure to report, naming the image when it
   * could not be deleted.
   */
  async abandon(image: GlanceImage, error: unknown): Promise<ImportFailure> {
    const reason = messageOf(error);
    try {
      await this.deleteImage(image);
      return new ImportFailure(reason);
    } catch (deleteError) {
      const why = messageOf(deleteError);
      return new ImportFailure(`${reason}; the unfinished image ${image.id} could not be deleted (${why})`, image.id);
    }
  }

  private job(
    desired: DesiredImage,
    source: ImportSource,
    image: GlanceImage,
    nextPosition: number,
    slots: ImportSlots,
    progress: ImportProgress | undefined,
  ): Job {
    const deadline = this.deps.now() + this.settings.importTimeoutMs;
    return {
      desired,
      source,
      image,
      deadline,
      nextPosition,
      discarded: false,
      slots,
      ...(progress ? { progress } : {}),
    };
  }

  /** Tells the import's watcher (if any) its new phase. */
  private report(job: Job, phase: ImportPhase, detail?: string): void {
    job.phase = phase;
    job.progress?.phase(phase, detail);
  }

  /** What the watcher calls when Glance shows the image changed: the phase again, with Glance's status. */
  private seen(job: Job): ((image: GlanceImage) => void) | undefined {
    const { progress } = job;
    if (!progress) return undefined;
    return (image) => progress.phase(job.phase ?? 'waiting', `Glance: ${image.status}`);
  }

  private otherRun(desired: DesiredImage, image: GlanceImage): ImportOutcome {
    this.deps.log.warn(
      `Another run is importing ${desired.name} (image ${image.id}, ${image.status}); not importing it twice`,
    );
    return { state: 'other-run', image };
  }

  /** Brings the image to active; an image that cannot be finished is deleted again, or named in the error. */
  private async finish(job: Job, alreadyRunning: boolean): Promise<ImportOutcome> {
    const inFlight = () => {
      // The import timeout counts from the start of the import, not from the wait for a slot.
      job.deadline = this.deps.now() + this.settings.importTimeoutMs;
      return this.bringToActive(job, alreadyRunning);
    };
    if (job.slots.importing && isFull(job.slots.importing))
      this.report(job, 'waiting', 'for an import slot (--max-importing)');
    try {
      const outcome = await (job.slots.importing ? job.slots.importing(inFlight) : inFlight());
      if (outcome.state === 'active') this.report(job, 'active');
      return outcome;
    } catch (error) {
      if (error instanceof OtherRun) return this.otherRun(job.desired, error.image);
      this.report(job, 'failed', messageOf(error));
      if (error instanceof ImportFailure && error.leftBehind) throw error;
      if (job.discarded) throw new ImportFailure(messageOf(error));
      throw await this.abandon(job.image, error);
    }
  }

  private async bringToActive(job: Job, alreadyRunning: boolean): Promise<ImportOutcome> {
    const { source } = job;
    const direct =
      source.url.startsWith('file:') || this.settings.prefetch === 'always' || !this.offers('web-download');
    if (!direct) return this.webDownload(job, alreadyRunning);
    if (alreadyRunning) {
      // An import an earlier run started: wait for it rather than stage into an image that is not queued.
      this.report(job, 'waiting', 'for the import an earlier run started');
      const result = await this.watcher.watch(job.image, job.deadline, this.seen(job));
      if (result.state === 'active') return this.verified(result.image, source.checksum, false);
      if (result.state === 'timeout') throw new ImportFailure(`import of ${job.image.name} failed: ${result.reason}`);
      this.deps.log.warn(`Import of ${job.image.name} did not finish: ${result.reason}; streaming it again`);
    }
    return this.directImport(job);
  }

  private async webDownload(job: Job, alreadyRunning: boolean): Promise<ImportOutcome> {
    const { log } = this.deps;
    const attempts = this.settings.stuckRetry + 1;
    let last: Exclude<WaitResult, { state: 'active' }> | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) log.info(`Retry attempt ${attempt}/${this.settings.stuckRetry} for image ${job.image.name}`);
      if (!(alreadyRunning && attempt === 0)) {
        if (attempt > 0) await this.queued(job);
        const finished = await this.startWebDownload(job);
        if (finished) return finished;
        if (!this.settings.wait) return { state: 'started', image: job.image };
      }
      this.report(job, 'downloading', 'by Glance');
      const result = await this.watcher.watch(job.image, job.deadline, this.seen(job));
      if (result.state === 'active') return this.verified(result.image, job.source.checksum, false);
      last = result;
      log.warn(`Web-download import of ${job.image.name} did not finish: ${last.reason}`);
      if (last.state === 'timeout') break;
    }
    if (this.settings.prefetch === 'on-stuck' && this.offers('glance-direct') && last?.state !== 'timeout') {
      log.warn(`Falling back to streaming ${job.source.url} into Glance (glance-direct) for ${job.image.name}`);
      return this.directImport(job);
    }
    throw new ImportFailure(`import of ${job.image.name} failed: ${last?.reason ?? 'no attempt made'}`);
  }

  /**
   * Starts a web-download; Glance refuses it (409) when the image is no longer queued: if another run has
   * finished it meanwhile, it is verified and taken as done.
   */
  private async startWebDownload(job: Job): Promise<ImportOutcome | undefined> {
    const { glance } = this.deps;
    try {
      await glance.importImage(job.image.id, { name: 'web-download', uri: job.source.url });
      return undefined;
    } catch (error) {
      if (!isHttpStatus(error, 409)) throw error;
      const current = await glance.getImage(job.image.id);
      if (current.status !== 'active') throw error;
      this.deps.log.info(`${current.name} became active meanwhile (another run imported it)`);
      return this.verified(current, job.source.checksum, false);
    }
  }

  /** Streams the source through a hash into Glance's staging area, then imports it by glance-direct. */
  private async directImport(job: Job): Promise<ImportOutcome> {
    const { glance } = this.deps;
    if (!this.offers('glance-direct'))
      throw new ImportFailure(`Glance offers neither web-download nor glance-direct for ${job.image.name}`);
    await this.queued(job);
    const { image, source } = job;
    // Without a checksum to compare with there is nothing to hash for (about 1 s of CPU per GiB saved).
    const algo = source.checksum?.algo;
    const upload = () => this.stage(job, algo);
    // The bytes through this tool are what --parallel bounds; the wait after them holds no upload slot.
    if (job.slots.uploads && isFull(job.slots.uploads)) this.report(job, 'waiting', 'for an upload slot (--parallel)');
    const digest = await (job.slots.uploads ? job.slots.uploads(upload) : upload());
    if (source.checksum && digest !== source.checksum.hex.toLowerCase()) {
      throw new ImportFailure(
        `checksum mismatch for ${image.name}: ${algo} is ${digest}, expected ${source.checksum.hex}`,
      );
    }
    await glance.importImage(image.id, { name: 'glance-direct' });
    if (!this.settings.wait) return { state: 'started', image };
    this.report(job, 'importing');
    const result = await this.watcher.watch(image, job.deadline, this.seen(job));
    if (result.state !== 'active')
      throw new ImportFailure(`glance-direct import of ${image.name} failed: ${result.reason}`);
    return this.verified(result.image, source.checksum, source.checksum !== undefined);
  }

  /**
   * Uploads the source into the staging area; the hex digest of what went up. An upload whose answer was lost
   * is asked about: staged (uploading) is done, still queued is uploaded again. Without `algo`, nothing is
   * hashed and the digest is undefined.
   */
  private async stage(job: Job, algo: string | undefined): Promise<string | undefined> {
    const { glance, log, sources } = this.deps;
    for (let attempt = 0; ; attempt++) {
      const hash = algo ? createHash(algo) : undefined;
      const format = job.image.disk_format ?? job.desired.disk_format;
      const { stream, size } = await sources.open(job.source.url, format ? { format } : {});
      log.info(`Uploading ${job.source.url} to the staging area of ${job.image.name}${size ? ` (${size} bytes)` : ''}`);
      this.report(job, 'uploading');
      const body = counted(hash ? hashed(stream, hash) : stream, job.progress, size);
      try {
        await glance.stageImage(job.image.id, body, size !== undefined ? { size } : {});
        return hash?.digest('hex');
      } catch (error) {
        if (!(outcomeUnknown(error) || error instanceof ConnectionError) || attempt >= STAGE_REPEATS) throw error;
        const { status } = await glance.getImage(job.image.id);
        if (status === 'uploading') return hash?.digest('hex');
        if (status !== 'queued') throw error;
        log.warn(`Uploading to the staging area of ${job.image.name} failed (${messageOf(error)}); uploading again`);
      }
    }
  }

  /**
   * An image to import into: Glance takes an import only into a queued image, so a stuck one that is no longer
   * queued is deleted and a fresh one created (with the next id of the version's sequence).
   */
  private async queued(job: Job): Promise<void> {
    const { glance, log } = this.deps;
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
      await this.deleteImage(image);
    } catch (error) {
      throw new ImportFailure(`cannot replace the stuck image ${image.id}: ${messageOf(error)}`, image.id);
    }
    job.discarded = true;
    const created = await this.create(desired, job.source, job.nextPosition);
    if (created.state === 'other-run') throw new OtherRun(created.image);
    Object.assign(job, { image: created.image, nextPosition: created.position + 1, discarded: false });
  }

  /**
   * Creates the version's image: with the id its definition fixes; else, knowing the project, with the first
   * id of the version's sequence (from position `from`) that Glance takes; else with an id Glance chooses.
   */
  private async create(desired: DesiredImage, source: ImportSource, from: number): Promise<Created> {
    const request = createRequest(desired, this.settings.tag);
    const { projectId } = this.settings;
    if (source.id) {
      const claim = await this.createAs(request, source.id, desired);
      if (claim.state !== 'used') return { ...claim, position: -1 };
      throw new ImportFailure(
        `cannot create ${desired.name} with the id ${source.id} its definition fixes: Glance has, or had, an image ` +
          'with that id (Glance never reuses the id of a deleted image)',
      );
    }
    for (let position = from; projectId && position < MAX_ID_POSITIONS; position++) {
      const claim = await this.createAs(request, versionImageId(projectId, desired, position), desired);
      if (claim.state !== 'used') return { ...claim, position };
    }
    if (projectId) this.deps.log.warn(`All ${MAX_ID_POSITIONS} ids of ${desired.name} are used; Glance picks one`);
    return { state: 'created', image: await this.deps.glance.createImage(request), position: -1 };
  }

  /**
   * Creates the image with the id. Glance answers 409 for an id it has seen: an image of the version there is
   * another run's (the client already recovers a create of ours whose answer was lost); none, or a dead one,
   * means the id is used up.
   */
  private async createAs(request: CreateImage, id: string, desired: DesiredImage): Promise<Claim> {
    try {
      return { state: 'created', image: await this.deps.glance.createImage({ ...request, id }) };
    } catch (error) {
      if (!isHttpStatus(error, 409)) throw error;
    }
    const holder = await this.lookUp(id);
    if (holder && carriesIdentity(holder, desired) && !GONE.has(holder.status)) {
      return { state: 'other-run', image: holder };
    }
    this.deps.log.debug(`Image id ${id} for ${desired.name} is used up; trying the next one`);
    return { state: 'used' };
  }

  private async lookUp(id: string): Promise<GlanceImage | undefined> {
    try {
      return await this.deps.glance.getImage(id);
    } catch (error) {
      if (isHttpStatus(error, 404)) return undefined;
      throw error;
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

  /** Deletes an image of ours; one that is gone already (404) counts as deleted. */
  private async deleteImage(image: GlanceImage): Promise<void> {
    try {
      await this.deps.glance.deleteImage(image.id);
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw error;
    }
    this.deps.log.warn(`Deleted the unfinished image ${image.name} (${image.id})`);
  }

  /**
   * The bound on probes of one source host: imports start all at once, and a small server (Python's
   * http.server listens with a backlog of 5) drops the connections beyond its backlog for a second.
   */
  private probeLimit(url: string): LimitFunction {
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // A URL that does not parse fails in the probe itself.
    }
    let limit = this.probesPerHost.get(host);
    if (!limit) {
      limit = pLimit(PROBES_PER_HOST);
      this.probesPerHost.set(host, limit);
    }
    return limit;
  }

  private offers(method: string): boolean {
    return this.settings.methods.includes(method);
  }
}

function hashed(stream: ReadableStream<Uint8Array>, hash: Hash): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The digest Glance stored for the algorithm, when it stored one: os_hash_value, or the md5 `checksum`. */
export function storedDigest(image: GlanceImage, algo: string): string | undefined {
  if (image.os_hash_algo === algo && image.os_hash_value) return image.os_hash_value.toLowerCase();
  if (algo === 'md5' && image.checksum) return image.checksum.toLowerCase();
  return undefined;
}
