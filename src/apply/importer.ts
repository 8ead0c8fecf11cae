import type { Logger } from 'pino';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';
import type { DesiredImage, ImportSource } from '../plan/types.js';
import { maskSignatures } from '../net/redact.js';
import type { UrlSigner } from '../sources/signed-url.js';
import type { SourceReader } from '../sources/source.js';
import { bringToActive } from './import/attempts.js';
import type { Prefetch } from './import/choose.js';
import { createImage, OtherRun } from './import/claims.js';
import { abandon } from './import/discard.js';
import { type ImportContext, type Job, type JobSource, readUrlOf, report, watchJob } from './import/job.js';
import { ImportFailure, type ImportOutcome, messageOf } from './import/outcome.js';
import { type ImportPermits, isFull, ProbesPerHost, within } from './import/permits.js';
import type { ImportProgress } from './observer.js';
import { importTasks, isLive } from './stuck.js';
import { Watcher } from './watcher.js';

export interface ImportSettings {
  /** The managed tag, written at creation so that a half-imported image is known as ours. */
  tag: string;
  /** false with --no-wait: start the import and leave it to Glance (the next run finishes it). */
  wait: boolean;
  importTimeoutMs: number;
  /** Further web-download attempts when one fails or is stuck. */
  stuckRetry: number;
  prefetch: Prefetch;
  /** --verify-checksum: every image is streamed through this tool (web-download's are verified all the same). */
  verifyChecksum?: boolean;
  /** The hash Glance stores (os_hash_algo, its `hashing_algorithm`) as the run saw it; default sha512. */
  glanceHashAlgo?: string;
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
  /** --mirror-signing: signs each mirror URL for the import that reads it. */
  signer?: UrlSigner;
}

/**
 * Imports one image version: tests the source, creates the image (private, fully described: every property and
 * tag, the version's deterministic id), imports it within the run's permits by the import method chosen for it
 * (import/choose.ts), waits with the run's one watcher until it is active and verifies it (import/verify.ts). A
 * failed or stuck import is tried again or by another method (into a fresh image when the stuck one cannot take
 * another import). An image it created and could not finish (or that failed verification) is deleted again, or
 * named in the error.
 */
export class Importer {
  private readonly context: ImportContext;
  private readonly probesPerHost = new ProbesPerHost();

  constructor(deps: ImportDeps, settings: ImportSettings) {
    const { glance, sources, log, now, signer } = deps;
    const watcher =
      deps.watcher ??
      new Watcher(deps, {
        ...(settings.pollMs !== undefined ? { intervalMs: settings.pollMs } : {}),
        ...(settings.tasksEveryMs !== undefined ? { tasksEveryMs: settings.tasksEveryMs } : {}),
        ...(settings.stuckAfterMs !== undefined ? { stuckAfterMs: settings.stuckAfterMs } : {}),
        ...(settings.taskStaleMs !== undefined ? { taskStaleMs: settings.taskStaleMs } : {}),
      });
    this.context = { glance, sources, log, now, watcher, settings, ...(signer ? { signer } : {}) };
  }

  async importNew(
    desired: DesiredImage,
    source: ImportSource,
    permits: ImportPermits = {},
    progress?: ImportProgress,
  ): Promise<ImportOutcome> {
    progress?.phase('creating');
    this.context.log.info(`Importing image ${desired.name}`);
    const ids = { next: 0 };
    return this.fromEach(desired, source, (one) => this.importFrom(desired, one, ids, permits, progress));
  }

  /**
   * An image of ours an earlier run left in queued/importing/saving: wait for it, or import it again, from the
   * first source; when that cannot serve it, the image is discarded and a new one imported from the next.
   */
  resume(
    image: GlanceImage,
    source: ImportSource,
    desired: DesiredImage,
    permits: ImportPermits = {},
    progress?: ImportProgress,
  ): Promise<ImportOutcome> {
    const ids = { next: 0 };
    return this.fromEach(desired, source, (one, first) =>
      first
        ? this.resumeFrom(image, one, desired, permits, progress)
        : this.importFrom(desired, one, ids, permits, progress),
    );
  }

  /**
   * Tries the plan's sources in order: the next one when an attempt from one failed and its image is gone
   * (discarded, never published); the outcome records the source used when there was a choice.
   */
  private async fromEach(
    desired: DesiredImage,
    { from, ...rest }: ImportSource,
    attempt: (one: JobSource, first: boolean) => Promise<ImportOutcome>,
  ): Promise<ImportOutcome> {
    const failures: string[] = [];
    for (const [index, option] of from.entries()) {
      try {
        const outcome = await attempt(this.signed({ ...rest, ...option }), index === 0);
        if (outcome.state !== 'active' || from.length === 1) return outcome;
        return { ...outcome, verification: { ...outcome.verification, from: option.origin } };
      } catch (thrown) {
        const error = withoutSignatures(thrown);
        if (!(error instanceof ImportFailure) || error.leftBehind || from.length === 1) throw error;
        failures.push(`${option.origin} ${option.url}: ${error.message}`);
        const next = from[index + 1];
        if (!next) break;
        this.context.log.warn(
          `The ${option.origin} ${option.url} cannot serve ${desired.name} (${error.message}); ` +
            `importing it from the ${next.origin} ${next.url} instead`,
        );
      }
    }
    throw new ImportFailure(`${desired.name} not imported from any source: ${failures.join('; ')}`);
  }

  /**
   * A mirror source with its URL signed (--mirror-signing), valid for twice the import timeout: a wait for an
   * import slot, then the import and its verification.
   */
  private signed(source: JobSource): JobSource {
    const { signer, now, settings } = this.context;
    if (!signer || source.origin !== 'mirror') return source;
    return { ...source, signed: signer.sign(source.url, (2 * settings.importTimeoutMs) / 1000, now()) };
  }

  /** `ids.next`: the position in the version's id sequence the create starts from (after a discarded image's). */
  private async importFrom(
    desired: DesiredImage,
    source: JobSource,
    ids: { next: number },
    permits: ImportPermits,
    progress: ImportProgress | undefined,
  ): Promise<ImportOutcome> {
    const { log, sources } = this.context;
    log.info(`Importing from URL ${source.url}`);
    const probe = await this.probesPerHost.of(source.url)(() => sources.probe(readUrlOf(source)));
    if (!probe.ok) {
      throw new ImportFailure(
        `Tested URL ${source.url}: ${probe.message ?? probe.status}; ${desired.name} not imported`,
      );
    }
    log.info(`Tested URL ${source.url}: ${probe.status}`);

    const created = await createImage(this.context, desired, source, ids.next);
    if (created.state === 'other-run') return this.otherRun(desired, created.image);
    const job = this.job(desired, source, created.image, created.position + 1, permits, progress);
    try {
      return await this.finish(job, false);
    } finally {
      ids.next = job.nextPosition;
    }
  }

  private async resumeFrom(
    image: GlanceImage,
    source: JobSource,
    desired: DesiredImage,
    permits: ImportPermits,
    progress: ImportProgress | undefined,
  ): Promise<ImportOutcome> {
    const { glance, log, settings } = this.context;
    progress?.phase('waiting', `Glance: ${image.status}`);
    log.info(`Finishing the import of ${image.name ?? image.id} (${image.status})`);
    // Active, but the run that imported it did not wait to verify it (image_verification still pending).
    if (image.status === 'active') return this.finish(this.job(desired, source, image, 0, permits, progress), false);
    const tasks = image.status === 'queued' ? await importTasks(glance, image.id) : undefined;
    const running = image.status !== 'queued' || isLive(tasks?.[0]);
    if (running && !settings.wait) return { state: 'started', image };
    const job = this.job(desired, source, image, 0, permits, progress);
    if (!running && tasks?.length === 0 && settings.wait) {
      // A queued image that was never imported may be another run's, created a moment ago and about to be
      // imported: it is watched until it stays still, and only then imported here; if that run imports it
      // meanwhile, that run also finishes it.
      const settled = await watchJob(this.context, job);
      if (settled.state === 'active') return this.otherRun(desired, settled.image);
    }
    return this.finish(job, running);
  }

  /**
   * Deletes an image of ours that could not be finished: the failure to report, naming the image when it
   * could not be deleted.
   */
  abandon(image: GlanceImage, error: unknown): Promise<ImportFailure> {
    return abandon(this.context.glance, this.context.log, image, error);
  }

  private job(
    desired: DesiredImage,
    source: JobSource,
    image: GlanceImage,
    nextPosition: number,
    permits: ImportPermits,
    progress: ImportProgress | undefined,
  ): Job {
    const deadline = this.context.now() + this.context.settings.importTimeoutMs;
    return {
      desired,
      source,
      image,
      deadline,
      nextPosition,
      discarded: false,
      permits,
      ...(progress ? { progress } : {}),
    };
  }

  private otherRun(desired: DesiredImage, image: GlanceImage): ImportOutcome {
    this.context.log.warn(
      `Another run is importing ${desired.name} (image ${image.id}, ${image.status}); not importing it twice`,
    );
    return { state: 'other-run', image };
  }

  /** Brings the image to active; an image that cannot be finished is deleted again, or named in the error. */
  private async finish(job: Job, alreadyRunning: boolean): Promise<ImportOutcome> {
    const inFlight = () => {
      // The import timeout counts from the start of the import, not from the wait for a permit.
      job.deadline = this.context.now() + this.context.settings.importTimeoutMs;
      return bringToActive(this.context, job, alreadyRunning);
    };
    const { importing } = job.permits;
    if (importing && isFull(importing)) report(job, 'waiting', 'for an import slot (--max-importing)');
    try {
      const outcome = await within(importing, inFlight);
      if (outcome.state === 'active') report(job, 'active');
      return outcome;
    } catch (error) {
      job.read?.cancel();
      if (error instanceof OtherRun) return this.otherRun(job.desired, error.image);
      report(job, 'failed', messageOf(error));
      if (error instanceof ImportFailure && error.leftBehind) throw error;
      if (job.discarded) throw new ImportFailure(messageOf(error));
      throw await this.abandon(job.image, error);
    }
  }
}

/** An error whose message may hold a signed mirror URL (a reader's), with the signature masked. */
function withoutSignatures(error: unknown): unknown {
  if (!(error instanceof Error) || maskSignatures(error.message) === error.message) return error;
  if (error instanceof ImportFailure) return new ImportFailure(maskSignatures(error.message), error.leftBehind);
  return new Error(maskSignatures(error.message), { cause: error });
}
