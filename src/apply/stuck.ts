import type { GlanceClient, ImageStatus, ImageTask } from '../openstack/image.js';

/** A queued, uploading or importing image with no import task running is stuck after this long. */
export const DEFAULT_STUCK_AFTER_MS = 60_000;
/**
 * A running import task whose `updated_at` has not changed for this long is stuck. Glance saves the task with
 * every chunk it copies into the store (its progress callback), but not while web-download fetches the data
 * into the staging area: the bound leaves that phase 10 minutes (1 GB at 1.7 MB/s), a third of the default
 * --import-timeout, and a sixth of the hour after which Glance itself breaks a task's import lock.
 */
export const DEFAULT_TASK_STALE_MS = 10 * 60_000;

/** A task that may still move the image on. */
/** The image's import tasks, newest first; undefined when Glance has no image tasks (before API 2.12). */
export async function importTasks(
  glance: Pick<GlanceClient, 'listTasks'>,
  imageId: string,
): Promise<ImageTask[] | undefined> {
  try {
    return await glance.listTasks(imageId);
  } catch {
    return undefined;
  }
}

export function isLive(task: ImageTask | undefined): task is ImageTask {
  return task?.status === 'pending' || task?.status === 'processing';
}

/**
 * Tells, from successive looks at an image and its newest import task, when an import has stopped moving:
 * no task running for `idleMs`, or the running task unchanged (same id, same `updated_at`) for `staleMs`
 * (twice that while it is pending).
 * Time is this process's clock between looks, never Glance's timestamps, so clock skew does not matter.
 */
export class StuckWatch {
  private idleSince: number | undefined;
  private seen: { id: string; updatedAt: string; since: number } | undefined;

  constructor(
    private readonly now: () => number,
    private readonly idleMs = DEFAULT_STUCK_AFTER_MS,
    private readonly staleMs = DEFAULT_TASK_STALE_MS,
  ) {}

  /** The reason the import is stuck, or undefined while it may still move. `tasks` undefined: Glance has none. */
  look(status: ImageStatus, tasks: ImageTask[] | undefined): string | undefined {
    const [task] = tasks ?? [];
    if (isLive(task)) return this.lookAtTask(task);
    this.seen = undefined;
    // Without the tasks API only a queued or uploading image tells that nothing runs for it.
    if (tasks === undefined && status !== 'queued' && status !== 'uploading') {
      this.idleSince = undefined;
      return undefined;
    }
    this.idleSince ??= this.now();
    if (this.now() - this.idleSince < this.idleMs) return undefined;
    return `still ${status} after ${Math.round(this.idleMs / 1000)} s with no import task running`;
  }

  private lookAtTask(task: ImageTask): string | undefined {
    this.idleSince = undefined;
    const seen = this.seen;
    if (!seen || seen.id !== task.id || seen.updatedAt !== task.updated_at) {
      this.seen = { id: task.id, updatedAt: task.updated_at, since: this.now() };
      return undefined;
    }
    // A pending task may wait for a free worker: twice the bound, as Glance gives its import lock.
    const bound = task.status === 'pending' ? 2 * this.staleMs : this.staleMs;
    if (this.now() - seen.since < bound) return undefined;
    const minutes = Math.round(bound / 60_000);
    return `import task ${task.id} (${task.status}) has not moved for ${minutes} min (last update ${task.updated_at})`;
  }
}
