import type { Logger } from 'pino';
import { HttpError } from '../openstack/errors.js';
import type { GlanceClient, GlanceImage, PatchOperation } from '../openstack/image.js';
import { diffImage } from './diff.js';
import { ImportFailure, type Importer, type ImportOutcome } from './importer.js';
import type { Action, DeleteAction, DesiredImage, Plan, RenameAction, UpdateAction } from './types.js';

export type ActionStatus = 'done' | 'failed' | 'skipped' | 'deferred';

export interface ActionResult {
  seq: number;
  kind: Action['kind'];
  definition: string;
  summary: string;
  status: ActionStatus;
  message?: string;
  /** The image the action worked on (for an import: the image it created). */
  imageId?: string;
}

export interface ApplyDeps {
  glance: GlanceClient;
  importer: Importer;
  log: Logger;
}

export interface RunReport {
  results: ActionResult[];
  counts: Record<ActionStatus, number>;
}

/**
 * Executes a plan: each action once all the actions it comes after have succeeded, at most `parallel`
 * at a time. An action whose predecessor failed is skipped; one whose predecessor was only started
 * (--no-wait) is deferred to the next run.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps, parallel: number): Promise<RunReport> {
  const limit = new Semaphore(Math.max(1, parallel));
  const outcomes = new Map<number, Promise<ActionResult>>();
  for (const action of plan.actions) {
    outcomes.set(action.seq, runWhenReady(action, outcomes, limit, deps));
  }
  const results = await Promise.all(plan.actions.map((action) => outcomes.get(action.seq) as Promise<ActionResult>));
  const counts: Record<ActionStatus, number> = { done: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}

async function runWhenReady(
  action: Action,
  outcomes: Map<number, Promise<ActionResult>>,
  limit: Semaphore,
  deps: ApplyDeps,
): Promise<ActionResult> {
  const base = { seq: action.seq, kind: action.kind, definition: action.definition, summary: action.summary };
  const before = await Promise.all(
    action.after.map(
      (seq) =>
        outcomes.get(seq) ??
        // The planner only names earlier actions; anything else is a bug to report, not a crash of the run.
        Promise.resolve<ActionResult>({ seq, kind: action.kind, definition: action.definition, summary: `unknown action #${seq}`, status: 'failed' }),
    ),
  );
  const blocker = before.find((result) => result.status !== 'done');
  if (blocker) {
    const status: ActionStatus = blocker.status === 'deferred' ? 'deferred' : 'skipped';
    const message =
      status === 'deferred' ? `waits for #${blocker.seq} (${blocker.summary}) to finish` : `skipped: #${blocker.seq} did not succeed`;
    if (status === 'skipped') deps.log.warn(`Skipping ${action.summary}: #${blocker.seq} (${blocker.summary}) did not succeed`);
    return { ...base, status, message };
  }
  const release = await limit.acquire();
  try {
    return { ...base, ...(await execute(action, before, deps)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`${action.summary}: ${message}`);
    const leftBehind = error instanceof ImportFailure ? error.leftBehind : undefined;
    return { ...base, status: 'failed', message, ...(leftBehind ? { imageId: leftBehind } : {}) };
  } finally {
    release();
  }
}

type Outcome = Pick<ActionResult, 'status' | 'message' | 'imageId'>;

async function execute(action: Action, before: ActionResult[], deps: ApplyDeps): Promise<Outcome> {
  switch (action.kind) {
    case 'import':
      return finishImport(await deps.importer.importNew(action.desired, action.source), action.desired, deps);
    case 'resume-import':
      return finishImport(await deps.importer.resume(action.image, action.source), action.desired, deps);
    case 'update':
      return update(action, deps);
    case 'rename':
      return rename(action, before, deps);
    case 'delete':
      return remove(action, deps);
  }
}

/**
 * After an import: all properties in one request, then tags and status, and the visibility last, so that
 * an image is never public before it is fully described.
 */
async function finishImport(outcome: ImportOutcome, desired: DesiredImage, deps: ApplyDeps): Promise<Outcome> {
  const { glance, log } = deps;
  if (outcome.state === 'started') {
    log.info(`Import of ${desired.name} started; not waiting (--no-wait): the next run finishes it`);
    return { status: 'deferred', imageId: outcome.image.id, message: 'import started, not waited for' };
  }
  const image = outcome.image;
  const changes = diffImage(desired, image);
  if (changes.minDiskRaisedTo !== undefined) {
    log.warn(`min_disk ${desired.min_disk} of ${desired.name} is too small for the stored image; using ${changes.minDiskRaisedTo}`);
  }
  const visibility = changes.patch.filter((op) => op.path === '/visibility');
  const rest = changes.patch.filter((op) => op.path !== '/visibility');
  if (rest.length > 0) {
    log.info(`Setting ${rest.length} properties of ${desired.name}`);
    await glance.updateImage(image.id, rest);
  }
  await applyTags(glance, image.id, changes.addTags, changes.removeTags);
  if (changes.statusChange) await changeStatus(glance, image.id, changes.statusChange, desired.name, log);
  if (visibility.length > 0) {
    log.info(`Setting visibility of '${desired.name}' to '${desired.visibility}'`);
    await glance.updateImage(image.id, visibility);
  }
  const message = outcome.checksum === 'verified' ? 'checksum verified' : outcome.checksum === 'unverifiable' ? 'checksum not verifiable' : undefined;
  return { status: 'done', imageId: image.id, ...(message ? { message } : {}) };
}

async function update(action: UpdateAction, deps: ApplyDeps): Promise<Outcome> {
  const { glance, log } = deps;
  log.info(`Updating ${action.name}: ${action.summary.replace(/^update [^:]*: /, '')}`);
  if (action.patch.length > 0) await glance.updateImage(action.imageId, action.patch);
  await applyTags(glance, action.imageId, action.addTags, action.removeTags);
  if (action.statusChange) await changeStatus(glance, action.imageId, action.statusChange, action.name, log);
  return { status: 'done', imageId: action.imageId };
}

async function rename(action: RenameAction, before: ActionResult[], deps: ApplyDeps): Promise<Outcome> {
  const imageId =
    'imageId' in action.image ? action.image.imageId : before.find((r) => r.seq === (action.image as { importSeq: number }).importSeq)?.imageId;
  if (!imageId) throw new Error(`no image to rename: #${'importSeq' in action.image ? action.image.importSeq : '?'} created none`);
  deps.log.info(`Renaming ${action.image.name} to ${action.to}`);
  await deps.glance.updateImage(imageId, action.patch);
  return { status: 'done', imageId };
}

async function remove(action: DeleteAction, deps: ApplyDeps): Promise<Outcome> {
  const { glance, log } = deps;
  log.info(`Deleting ${action.name} (${action.reason})`);
  try {
    await glance.deleteImage(action.imageId);
    return { status: 'done', imageId: action.imageId };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      return { status: 'done', imageId: action.imageId, message: 'already gone' };
    }
    if (!(error instanceof HttpError && error.status === 409)) throw error;
    // Glance refuses to delete an image in use: keep it out of sight and try again on a later run.
    log.warn(`Image '${action.name}' is in use and cannot be deleted; hiding it instead`);
    await hide(glance, action.imageId, action.fallback.patch);
    if (action.fallback.deactivate) await changeStatus(glance, action.imageId, 'deactivate', action.name, log).catch(() => undefined);
    return { status: 'done', imageId: action.imageId, message: 'in use: hidden instead of deleted' };
  }
}

async function hide(glance: GlanceClient, imageId: string, patch: PatchOperation[]): Promise<void> {
  if (patch.length > 0) await glance.updateImage(imageId, patch);
}

async function applyTags(glance: GlanceClient, imageId: string, add: string[], remove: string[]): Promise<void> {
  for (const tag of add) await glance.addTag(imageId, tag);
  for (const tag of remove) await glance.removeTag(imageId, tag);
}

async function changeStatus(
  glance: GlanceClient,
  imageId: string,
  change: 'deactivate' | 'reactivate',
  name: string,
  log: Logger,
): Promise<void> {
  log.info(`${change === 'deactivate' ? 'Deactivating' : 'Reactivating'} image '${name}'`);
  if (change === 'deactivate') await glance.deactivate(imageId);
  else await glance.reactivate(imageId);
}

/** At most N holders at once; waiters are served in the order they asked. */
class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

