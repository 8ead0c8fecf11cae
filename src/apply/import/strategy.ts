import type { GlanceImage, ImageStatus } from '../../openstack/image.js';
import type { ImportPhase } from '../observer.js';
import type { ImportContext, Job } from './job.js';
import type { SourceRead } from './verify.js';

/** How a method's start ended. */
export type Started =
  /**
   * Glance imports now; `read`: the tool's own read of the source, the one Glance's stored data is verified
   * against (made while Glance fetches it, or the bytes streamed through the tool); none when the run does not
   * wait (--no-wait): the run that finds the image active verifies it.
   */
  | { state: 'started'; read?: SourceRead }
  /** Glance refused the start because another run finished the image meanwhile. */
  | { state: 'active'; image: GlanceImage };

/**
 * One of Glance's import methods (GET /v2/info/import), as this tool uses it: it starts the import of the job's
 * source into the job's image. Waiting for the import, retries and the choice of method are the callers'
 * (attempts.ts, choose.ts), told by the facts here.
 */
export interface ImportStrategy {
  /** Glance's name of the method. */
  readonly name: string;
  /** The data goes through this tool, which can read local (file:) sources and hash it; else Glance fetches it. */
  readonly throughThisTool: boolean;
  /**
   * A failed or stuck attempt is followed by another (up to --stuck-retry more), and an import an earlier run
   * started counts as its first attempt; a method not retried makes one attempt, after such an import too.
   */
  readonly retried: boolean;
  /** The status Glance leaves an image in when an import by this method failed or stopped half way. */
  readonly failedStatus: ImageStatus;
  /** The phase shown while Glance works on the import. */
  readonly working: { phase: ImportPhase; detail?: string };
  /** What the method does, for the log: "streaming <url> into Glance (glance-direct)". */
  describe(url: string): string;
  /** Starts the import. `again`: an attempt failed before, and the image may be stuck. */
  start(context: ImportContext, job: Job, again: boolean): Promise<Started>;
}
