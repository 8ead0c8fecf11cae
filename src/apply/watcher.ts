import type { Logger } from 'pino';
import { isHttpStatus } from '../openstack/errors.js';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';
import { isGone } from './gone.js';
import { failedImportsRestIn } from './import/choose.js';
import { importTasks, StuckWatch } from './stuck.js';

/** How an import ended, as the watcher saw it. */
export type WaitResult =
  | { state: 'active'; image: GlanceImage }
  | { state: 'failed' | 'stuck' | 'timeout'; reason: string };

export interface WatcherDeps {
  glance: GlanceClient;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface WatcherSettings {
  /** Time between two looks while anything is watched. */
  intervalMs?: number;
  /** Ids per listing request. */
  idsPerListing?: number;
  /** How often the tasks of an image that looks stuck or failed are read (and how long "quiet" is). */
  tasksEveryMs?: number;
  /** See StuckWatch. */
  stuckAfterMs?: number;
  taskStaleMs?: number;
}

/** One look every 250 ms at most: an image active after 1.1 s is seen by 1.35 s. */
export const WATCH_INTERVAL_MS = 250;
/**
 * 50 ids make a query of about 2 kB (37 characters an id, the commas escaped): far below the 8 kB request line
 * Glance's server (eventlet) takes, and Glance's page (limit 1000) holds them all, so one chunk is one request.
 */
export const IDS_PER_LISTING = 50;
/** The shortest pause between two ticks, when Glance is slow to answer: it is never asked back to back. */
const MIN_PAUSE_MS = 50;
/** An image that looks stuck or failed has its import tasks read at most this often. */
export const TASKS_EVERY_MS = 5_000;

/** Ids Glance's `in:` takes as they are (no quotes, no commas). */
const PLAIN_ID = /^[0-9A-Za-z-]+$/;

const ACTIVE_LOCK_GRACE_MS = 5000;

interface Entry {
  id: string;
  deadline: number;
  stuck: StuckWatch;
  resolve: (result: WaitResult) => void;
  reject: (error: unknown) => void;
  /** os_hidden as last seen: a listing shows one kind only, so the image is asked for with its kind. */
  hidden: boolean;
  /** What the listing showed last (status, updated_at, import lock) and since when. */
  seen?: string;
  seenSince: number;
  /** When its tasks were last read. */
  tasksAt?: number;
  /** When it was first seen active while Glance still held its import lock. */
  lockedActiveSince?: number;
  /** Told each time the image is seen changed (status, updated_at or import lock). */
  changed?: (image: GlanceImage) => void;
}

/**
 * Watches every import in flight of a run with one loop: while anything is watched, every `intervalMs` one
 * listing (`GET /v2/images?id=in:…`, `idsPerListing` ids a request) shows them all. The import tasks, which
 * tell a failed import (Glance puts the image back into `queued` after a web-download) from one still running
 * and tell an import that stopped moving, are read only for an image that looks failed (in the status its
 * import method leaves a failed import in, with no import lock, `os_glance_import_task`) or stuck (nothing
 * changed for `tasksEveryMs`), at most every `tasksEveryMs`.
 * Waiting holds nothing but an entry here.
 */
export class Watcher {
  private readonly entries = new Set<Entry>();
  private running = false;
  private readonly intervalMs: number;
  private readonly idsPerListing: number;
  private readonly tasksEveryMs: number;
  /** Ticks so far (tests count listings against them). */
  ticks = 0;

  constructor(
    private readonly deps: WatcherDeps,
    private readonly settings: WatcherSettings = {},
  ) {
    this.intervalMs = settings.intervalMs ?? WATCH_INTERVAL_MS;
    this.idsPerListing = settings.idsPerListing ?? IDS_PER_LISTING;
    // Short stuck bounds (--stuck-after 3) are judged from at least two reads of the tasks within them.
    const bounds = [settings.taskStaleMs, settings.stuckAfterMs].filter((ms): ms is number => ms !== undefined);
    this.tasksEveryMs = settings.tasksEveryMs ?? Math.min(TASKS_EVERY_MS, ...bounds.map((ms) => ms / 2));
  }

  /**
   * Resolves once the image is active, failed, stuck, or past the deadline; rejects when Glance cannot say.
   * `changed` hears of every change the watcher sees on the way (for a progress display).
   */
  watch(image: GlanceImage, deadline: number, changed?: (image: GlanceImage) => void): Promise<WaitResult> {
    const { now } = this.deps;
    const stuck = new StuckWatch(now, this.settings.stuckAfterMs, this.settings.taskStaleMs);
    return new Promise<WaitResult>((resolve, reject) => {
      const entry: Entry = {
        id: image.id,
        deadline,
        stuck,
        resolve,
        reject,
        hidden: image.os_hidden === true,
        seenSince: now(),
        ...(changed ? { changed } : {}),
      };
      this.entries.add(entry);
      if (!this.running) void this.loop();
    });
  }

  /** How many imports are watched now. */
  get size(): number {
    return this.entries.size;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      // The watches asked for in this turn go into the first look together.
      await Promise.resolve();
      while (this.entries.size > 0) {
        const started = this.deps.now();
        await this.tick();
        // A tick every intervalMs from the start of the last; a slow answer is not followed by a full pause.
        const pause = Math.max(MIN_PAUSE_MS, this.intervalMs - (this.deps.now() - started));
        if (this.entries.size > 0) await this.deps.sleep(Math.min(this.intervalMs, pause));
      }
    } catch (error) {
      // Not expected (a look settles its own failures): no watch is left waiting for a loop that stopped.
      for (const entry of [...this.entries]) this.settle(entry, () => entry.reject(error));
    } finally {
      this.running = false;
    }
  }

  private async tick(): Promise<void> {
    this.ticks++;
    const entries = [...this.entries];
    this.deps.log.debug({ imports: entries.length }, 'Waiting for imports to complete...');
    const images = await this.look(entries);
    await Promise.all(
      entries.map(async (entry) => {
        const image = images.get(entry.id);
        try {
          if (image instanceof Error) throw image;
          const result = await this.judge(entry, image);
          if (result) this.settle(entry, () => entry.resolve(result));
        } catch (error) {
          this.settle(entry, () => entry.reject(error));
        }
      }),
    );
  }

  private settle(entry: Entry, done: () => void): void {
    this.entries.delete(entry);
    done();
  }

  /**
   * Every watched image as Glance shows it now: one listing per kind (visible, hidden) and chunk of ids. An
   * image a listing does not show (it changed kind, or is gone) is read by itself: undefined when deleted.
   */
  private async look(entries: Entry[]): Promise<Map<string, GlanceImage | undefined | Error>> {
    const found = new Map<string, GlanceImage | undefined | Error>();
    const single: string[] = [];
    const batches: Array<{ hidden: boolean; ids: string[] }> = [];
    for (const hidden of [false, true]) {
      const ids = [...new Set(entries.filter((e) => e.hidden === hidden).map((e) => e.id))];
      single.push(...ids.filter((id) => !PLAIN_ID.test(id)));
      const plain = ids.filter((id) => PLAIN_ID.test(id));
      for (let i = 0; i < plain.length; i += this.idsPerListing)
        batches.push({ hidden, ids: plain.slice(i, i + this.idsPerListing) });
    }
    await Promise.all(
      batches.map(async ({ hidden, ids }) => {
        try {
          const listed = await this.deps.glance.listImages({
            id: `in:${ids.join(',')}`,
            visibility: 'all',
            os_hidden: hidden,
          });
          for (const image of listed) found.set(image.id, image);
          single.push(...ids.filter((id) => !found.has(id)));
        } catch (error) {
          for (const id of ids) found.set(id, asError(error));
        }
      }),
    );
    await Promise.all(single.map(async (id) => found.set(id, await this.read(id))));
    for (const entry of entries) {
      const image = found.get(entry.id);
      if (image && !(image instanceof Error)) entry.hidden = image.os_hidden === true;
    }
    return found;
  }

  private async read(id: string): Promise<GlanceImage | undefined | Error> {
    try {
      return await this.deps.glance.getImage(id);
    } catch (error) {
      return isHttpStatus(error, 404) ? undefined : asError(error);
    }
  }

  /**
   * Glance sets an image active before its import task lets go of the image (`os_glance_import_task`); that
   * last save writes back the image as the task read it, undoing a change made in between. So an import is
   * done once the lock is gone, or (should Glance never drop it) 5 s after the image went active.
   */
  private lockReleased(entry: Entry, image: GlanceImage): boolean {
    if (!image.os_glance_import_task) return true;
    entry.lockedActiveSince ??= this.deps.now();
    return this.deps.now() - entry.lockedActiveSince >= ACTIVE_LOCK_GRACE_MS;
  }

  /** The end of the import, or undefined while it may still move. */
  private async judge(entry: Entry, image: GlanceImage | undefined): Promise<WaitResult | undefined> {
    const { log, now } = this.deps;
    if (!image) return { state: 'failed', reason: 'image is deleted' };
    if (image.status === 'active' && this.lockReleased(entry, image)) {
      log.info(`Import of '${image.name}' successfully completed`);
      return { state: 'active', image };
    }
    if (isGone(image.status)) return { state: 'failed', reason: `image is ${image.status}` };
    const seen = `${image.status} ${image.updated_at} ${String(image.os_glance_import_task ?? '')}`;
    const changed = seen !== entry.seen;
    if (changed) {
      log.debug({ image: image.name, status: image.status }, 'Import in progress');
      Object.assign(entry, { seen, seenSince: now() });
      entry.changed?.(image);
    }
    if (this.tasksDue(entry, image, changed)) {
      const ended = await this.byTasks(entry, image);
      if (ended) return ended;
    }
    if (now() + this.intervalMs > entry.deadline)
      return { state: 'timeout', reason: `not active within the import timeout (${image.status})` };
    return undefined;
  }

  /**
   * Whether the image's tasks are to be read now: it looks failed (in a status an import method leaves a
   * failed import in, no import lock) and has just changed, or it looks failed or stuck (nothing changed for
   * `tasksEveryMs`) and its tasks were not read for `tasksEveryMs`.
   */
  private tasksDue(entry: Entry, image: GlanceImage, changed: boolean): boolean {
    const now = this.deps.now();
    const looksFailed = failedImportsRestIn(image.status) && !image.os_glance_import_task;
    if (looksFailed && changed) return true;
    const readLongAgo = entry.tasksAt === undefined || now - entry.tasksAt >= this.tasksEveryMs;
    const quiet = now - entry.seenSince >= this.tasksEveryMs;
    return readLongAgo && (looksFailed || quiet);
  }

  /** A failed import is told by its task, on an image in the status its method leaves it in (see ImportStrategy). */
  private async byTasks(entry: Entry, image: GlanceImage): Promise<WaitResult | undefined> {
    entry.tasksAt = this.deps.now();
    const tasks = await importTasks(this.deps.glance, image.id);
    const failed = tasks?.[0]?.status === 'failure' ? tasks[0] : undefined;
    if (failed && failedImportsRestIn(image.status))
      return { state: 'failed', reason: failed.message || 'import task failed' };
    const stuck = entry.stuck.look(image.status, tasks);
    return stuck ? { state: 'stuck', reason: stuck } : undefined;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
