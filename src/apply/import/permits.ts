import pLimit, { type LimitFunction } from 'p-limit';

/** Runs work within a bound; p-limit's counts, when it has them, tell whether the work will wait. */
export type Permit = (<T>(work: () => Promise<T>) => Promise<T>) & {
  activeCount?: number;
  pendingCount?: number;
  concurrency?: number;
};

/** Whether work given to the permit now waits for another to finish first. */
export function isFull(permit: Permit): boolean {
  const { activeCount, pendingCount = 0, concurrency } = permit;
  return activeCount !== undefined && concurrency !== undefined && activeCount + pendingCount >= concurrency;
}

/** The work within the permit's bound, or at once without a permit. */
export function within<T>(permit: Permit | undefined, work: () => Promise<T>): Promise<T> {
  return permit ? permit(work) : work();
}

/** What an import shares with the run's other imports: the bounds on what costs. */
export interface ImportPermits {
  /**
   * Imports in flight on the Glance side (--max-importing): held from the start of the import (web-download,
   * or the upload to the staging area) until the image is active or the import given up, not while the image
   * is probed and created.
   */
  importing?: Permit;
  /** Uploads through this tool to Glance's staging area (--parallel). */
  uploads?: Permit;
}

/** Probes (HEAD) at once to one source host: as many connections as a browser opens to one host. */
const PROBES_PER_HOST = 6;

/**
 * The bound on probes of each source host: imports start all at once, and a small server (Python's
 * http.server listens with a backlog of 5) drops the connections beyond its backlog for a second.
 */
export class ProbesPerHost {
  private readonly limits = new Map<string, LimitFunction>();

  of(url: string): LimitFunction {
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // A URL that does not parse fails in the probe itself.
    }
    let limit = this.limits.get(host);
    if (!limit) {
      limit = pLimit(PROBES_PER_HOST);
      this.limits.set(host, limit);
    }
    return limit;
  }
}
