import type { Logger } from 'pino';
import type { GlanceClient, GlanceImage } from '../../openstack/image.js';
import type { DesiredImage, ImportSource, SourceOption } from '../../plan/types.js';
import type { UrlSigner } from '../../sources/signed-url.js';
import type { SourceReader } from '../../sources/source.js';
import type { ImportSettings } from '../importer.js';
import type { ImportPhase, ImportProgress } from '../observer.js';
import type { WaitResult, Watcher } from '../watcher.js';
import type { ImportPermits } from './permits.js';
import type { SourceRead } from './verify.js';

/** What every part of an import works with: the run's clients, clock, watcher and settings. */
export interface ImportContext {
  glance: GlanceClient;
  sources: SourceReader;
  log: Logger;
  now: () => number;
  watcher: Watcher;
  settings: ImportSettings;
  signer?: UrlSigner;
}

/**
 * The one source a job reads (one of the plan's `from`), with the version's checksum and fixed id; `signed`: a
 * private mirror's URL signed for this import, which Glance and the tool read and no log line shows.
 */
export type JobSource = Omit<ImportSource, 'from'> & SourceOption & { signed?: string };

/** The URL the source is read from: the signed one when there is one. */
export function readUrlOf(source: JobSource): string {
  return source.signed ?? source.url;
}

/** One version's import in this run. A stuck image that is no longer queued is replaced by a fresh one. */
export interface Job {
  desired: DesiredImage;
  source: JobSource;
  image: GlanceImage;
  deadline: number;
  /** The position in the version's id sequence a replacement starts from. */
  nextPosition: number;
  /** The image was deleted here (replacing it): nothing left to clean up. */
  discarded: boolean;
  permits: ImportPermits;
  /**
   * The tool's read of the source (verify.ts), made once for all of the job's attempts: Glance fetches the same
   * bytes again on a retry; the data a through-the-tool attempt streams replaces it.
   */
  read?: SourceRead;
  /** Whoever watches the import's phases and bytes; the phase it was last told. */
  progress?: ImportProgress;
  phase?: ImportPhase;
}

/**
 * The format the job's source must carry: the definition's, not the image's, which a converting Glance
 * (image_conversion) sets to raw while the import still runs (a later run resuming it reads it so).
 */
export function declaredFormat(job: Job): string | undefined {
  return job.desired.disk_format ?? job.image.disk_format ?? undefined;
}

/** Tells the import's watcher (if any) its new phase. */
export function report(job: Job, phase: ImportPhase, detail?: string): void {
  job.phase = phase;
  job.progress?.phase(phase, detail);
}

/** Waits with the run's watcher until the job's image is active, failed, stuck or past the deadline. */
export function watchJob(context: ImportContext, job: Job): Promise<WaitResult> {
  return context.watcher.watch(job.image, job.deadline, seen(job));
}

/** What the watcher calls when Glance shows the image changed: the phase again, with Glance's status. */
function seen(job: Job): ((image: GlanceImage) => void) | undefined {
  const { progress } = job;
  if (!progress) return undefined;
  return (image) => progress.phase(job.phase ?? 'waiting', `Glance: ${image.status}`);
}
