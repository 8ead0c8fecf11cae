import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { isHttpStatus } from '../openstack/errors.js';
import { type GlanceClient, type GlanceImage, type PatchOperation, patchApplied } from '../openstack/image.js';
import { describeChanges, isPropertyChange, propertyKey, requiredMinDisk, tagDelta } from '../plan/diff.js';
import { ImportFailure, type Importer, type ImportOutcome, type ImportSlots } from './importer.js';
import { type ApplyObserver, progressOf } from './observer.js';
import type {
  Action,
  Change,
  DeleteAction,
  ImportAction,
  Plan,
  RenameAction,
  ResumeImportAction,
  UpdateAction,
} from '../plan/types.js';
import { systemClock } from '../util/clock.js';
import { plural } from '../util/plural.js';

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
  /** How long the action ran, from the moment its predecessors were done (not set when it did not run). */
  durationMs?: number;
}

export interface ApplyDeps {
  glance: GlanceClient;
  importer: Importer;
  log: Logger;
  /** Told what the run does as it does it (a live view); nothing is told without it. */
  observer?: ApplyObserver;
  /** The clock of the durations (default Date.now). */
  now?: () => number;
  /** The pause before describing an image once more (default the system clock's). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunReport {
  results: ActionResult[];
  counts: Record<ActionStatus, number>;
}

/**
 * Imports in flight on the Glance side at once, by default. Each import holds its whole image in Glance's
 * staging store (a local directory of the API node, `node_staging_uri`) until it is copied into the store:
 * 16 imports of 1–2 GB images are 16–32 GB of staging at most. 16 is also how many import tasks one Glance API
 * worker runs at once (`[wsgi] task_pool_threads`, default 16): against one worker, more only wait in Glance's
 * queue.
 */
export const DEFAULT_MAX_IMPORTING = 16;

export interface ApplyLimits {
  /** glance-direct uploads streamed through this tool at once (--parallel). */
  parallel: number;
  /** Imports in flight on the Glance side at once, from the start of the import to active (--max-importing). */
  maxImporting?: number;
}

/**
 * Executes a plan: each action as soon as all the actions it comes after have succeeded. Imports start at
 * once, at most `maxImporting` in flight on the Glance side, and wait with the run's one watcher; what they
 * stream through this tool (glance-direct) is bounded by `parallel`; updates, renames and deletes are bounded
 * by nothing but their order. An action whose predecessor failed is skipped; one whose predecessor was only
 * started (--no-wait) is deferred to the next run.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps, limits: number | ApplyLimits): Promise<RunReport> {
  const { parallel, maxImporting = DEFAULT_MAX_IMPORTING } = typeof limits === 'number' ? { parallel: limits } : limits;
  const slots: ImportSlots = { importing: pLimit(maxImporting), uploads: pLimit(parallel) };
  const outcomes = new Map<number, Promise<ActionResult>>();
  for (const action of plan.actions) {
    outcomes.set(action.seq, runWhenReady(action, outcomes, slots, deps));
  }
  const results = await Promise.all(plan.actions.map((action) => outcomes.get(action.seq) as Promise<ActionResult>));
  const counts: Record<ActionStatus, number> = { done: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}

async function runWhenReady(
  action: Action,
  outcomes: Map<number, Promise<ActionResult>>,
  slots: ImportSlots,
  deps: ApplyDeps,
): Promise<ActionResult> {
  const before = await Promise.all(
    action.after.map(
      (seq) =>
        outcomes.get(seq) ??
        // The planner only names earlier actions; anything else is a bug to report, not a crash of the run.
        Promise.resolve<ActionResult>({
          seq,
          kind: action.kind,
          definition: action.definition,
          summary: `unknown action #${seq}`,
          status: 'failed',
        }),
    ),
  );
  const blocker = before.find((result) => result.status !== 'done');
  const result = blocker ? notRun(action, blocker, deps) : await run(action, before, slots, deps);
  deps.observer?.actionEnded?.(action, result);
  return result;
}

/** The result of an action whose predecessor did not succeed: skipped, or deferred to the next run. */
function notRun(action: Action, blocker: ActionResult, deps: ApplyDeps): ActionResult {
  const status: ActionStatus = blocker.status === 'deferred' ? 'deferred' : 'skipped';
  const message =
    status === 'deferred'
      ? `waits for #${blocker.seq} (${blocker.summary}) to finish`
      : `skipped: #${blocker.seq} did not succeed`;
  if (status === 'skipped')
    deps.log.warn(`Skipping ${action.summary}: #${blocker.seq} (${blocker.summary}) did not succeed`);
  return { ...baseOf(action), status, message };
}

async function run(action: Action, before: ActionResult[], slots: ImportSlots, deps: ApplyDeps): Promise<ActionResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  deps.observer?.actionStarted?.(action);
  const base = baseOf(action);
  try {
    const outcome = await execute(action, before, slots, deps);
    return { ...base, ...outcome, durationMs: now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`${action.summary}: ${message}`);
    const leftBehind = error instanceof ImportFailure ? error.leftBehind : undefined;
    return {
      ...base,
      status: 'failed',
      message,
      ...(leftBehind ? { imageId: leftBehind } : {}),
      durationMs: now() - started,
    };
  }
}

function baseOf(action: Action): Pick<ActionResult, 'seq' | 'kind' | 'definition' | 'summary'> {
  return { seq: action.seq, kind: action.kind, definition: action.definition, summary: action.summary };
}

type Outcome = Pick<ActionResult, 'status' | 'message' | 'imageId'>;

async function execute(action: Action, before: ActionResult[], slots: ImportSlots, deps: ApplyDeps): Promise<Outcome> {
  const { importer } = deps;
  const progress = progressOf(action, deps.observer);
  switch (action.kind) {
    case 'import':
      return finishImport(await importer.importNew(action.desired, action.source, slots, progress), action, deps);
    case 'resume-import': {
      const outcome = await importer.resume(action.image, action.source, action.desired, slots, progress);
      return finishImport(outcome, action, deps);
    }
    case 'update':
      return update(action, deps);
    case 'rename':
      return rename(action, before, deps);
    case 'delete':
      return remove(action, deps);
  }
}

/**
 * After an import: the planned changes (what had to wait until the image is active: the visibility, the status,
 * a min_disk the stored data needs), the tag and status calls first and then every field in one PATCH, the
 * visibility with them: Glance applies a patch at once, so an image is never public before it is fully
 * described. An image that cannot be finished is deleted (it is still private), or named as left behind, like
 * any other failed import.
 */
async function finishImport(
  outcome: ImportOutcome,
  action: ImportAction | ResumeImportAction,
  deps: ApplyDeps,
): Promise<Outcome> {
  const { name } = action.desired;
  if (outcome.state === 'started') {
    deps.log.info(`Import of ${name} started; not waiting (--no-wait): the next run finishes it`);
    return { status: 'deferred', imageId: outcome.image.id, message: 'import started, not waited for' };
  }
  if (outcome.state === 'other-run') {
    const message = `another run is importing ${name} (image ${outcome.image.id}): left to it, not imported twice`;
    return { status: 'deferred', imageId: outcome.image.id, message };
  }
  const image = outcome.image;
  try {
    await describeOnce(action, image, deps);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const reason = `could not finish ${name} after its import: ${why}`;
    // Another run may be finishing the same image (two hosts): what it wrote is what this run wanted.
    if (await describedMeanwhile(action, image.id, deps)) return { status: 'done', imageId: image.id };
    // Only an image this action created is deleted again; a resumed one may be another run's.
    if (action.kind === 'resume-import') throw new ImportFailure(`${reason}; ${image.id} left as it is`, image.id);
    throw await deps.importer.abandon(image, new Error(reason));
  }
  const message =
    outcome.checksum === 'verified'
      ? 'checksum verified'
      : outcome.checksum === 'unverifiable'
        ? 'checksum not verifiable'
        : undefined;
  return { status: 'done', imageId: image.id, ...(message ? { message } : {}) };
}

/**
 * Two runs that finish one image at once (two hosts) send their PATCHes together, and Glance may refuse one
 * (409, or a 500 from its database): it is sent once more after a pause, by then against the other's result.
 */
async function describeOnce(action: ImportAction | ResumeImportAction, image: GlanceImage, deps: ApplyDeps) {
  try {
    await describeAndPublish(action, image, deps);
  } catch (error) {
    if (!isHttpStatus(error, 409, 500)) throw error;
    deps.log.warn(`${action.desired.name} was being changed by someone else at the same time; trying once more`);
    await (deps.sleep ?? systemClock.sleep)(1000);
    await describeAndPublish(action, image, deps);
  }
}

/** Whether every planned change of the action already holds on the image (another run wrote them). */
async function describedMeanwhile(action: ImportAction | ResumeImportAction, id: string, deps: ApplyDeps) {
  const current = await deps.glance.getImage(id).catch(() => undefined);
  if (current === undefined || (current.status !== 'active' && current.status !== 'deactivated')) return false;
  return action.changes.every((change) => {
    if (change.field === 'tags') {
      const { add, remove } = tagDelta(change);
      return add.every((tag) => current.tags.includes(tag)) && !remove.some((tag) => current.tags.includes(tag));
    }
    if (change.field === 'status') return current.status === change.after;
    return patchApplied(current, patchOf([change]));
  });
}

async function describeAndPublish(
  action: ImportAction | ResumeImportAction,
  image: GlanceImage,
  { glance, log }: ApplyDeps,
): Promise<void> {
  const { name } = action.desired;
  const changes = withStoredSize(action, image, log);
  const fields = changes.filter((change) => change.field !== 'tags' && change.field !== 'status');
  const calls = changes.filter((change) => change.field === 'tags' || change.field === 'status');
  await writeChanges(glance, image.id, calls, name, log);
  const visibility = fields.filter((change) => change.field === 'visibility');
  const described = patchOf(fields).length - visibility.length;
  if (described > 0) log.info(`Setting ${plural(described, 'property', 'properties')} of ${name}`);
  for (const change of visibility) log.info(`Setting visibility of '${name}' to '${change.after}'`);
  await writeChanges(glance, image.id, fields, name, log);
}

/** The stored size is known only once the data is in: min_disk goes up to what the image needs. */
function withStoredSize(action: ImportAction | ResumeImportAction, image: GlanceImage, log: Logger): Change[] {
  const { changes, desired } = action;
  if (desired.min_disk === undefined) return changes;
  const planned =
    changes.find((change): change is Extract<Change, { field: 'min_disk' | 'min_ram' }> => change.field === 'min_disk')
      ?.after ?? image.min_disk;
  const needed = requiredMinDisk(image);
  if (needed <= planned) return changes;
  log.warn(`min_disk ${desired.min_disk} of ${desired.name} is too small for the stored image; using ${needed}`);
  return [
    ...changes.filter((change) => change.field !== 'min_disk'),
    { field: 'min_disk', before: image.min_disk, after: needed },
  ];
}

async function update(action: UpdateAction, deps: ApplyDeps): Promise<Outcome> {
  deps.log.info(`Updating ${action.name}: ${describeChanges(action.changes)}`);
  await writeChanges(deps.glance, action.imageId, action.changes, action.name, deps.log);
  return { status: 'done', imageId: action.imageId };
}

async function rename(action: RenameAction, before: ActionResult[], deps: ApplyDeps): Promise<Outcome> {
  const ref = action.image;
  const imageId = 'imageId' in ref ? ref.imageId : before.find((result) => result.seq === ref.importSeq)?.imageId;
  if (!imageId) throw new Error(`no image to rename: #${'importSeq' in ref ? ref.importSeq : '?'} created none`);
  deps.log.info(`Renaming ${ref.name} to ${action.to}`);
  await writeChanges(deps.glance, imageId, action.changes, action.to, deps.log);
  return { status: 'done', imageId };
}

async function remove(action: DeleteAction, deps: ApplyDeps): Promise<Outcome> {
  const { glance, log } = deps;
  log.info(`Deleting ${action.name} (${action.reason})`);
  try {
    await glance.deleteImage(action.imageId);
    return { status: 'done', imageId: action.imageId };
  } catch (error) {
    if (isHttpStatus(error, 404)) {
      return { status: 'done', imageId: action.imageId, message: 'already gone' };
    }
    if (!isHttpStatus(error, 409)) throw error;
    // Glance refuses to delete an image in use: keep it out of sight and try again on a later run.
    log.warn(`Image '${action.name}' is in use and cannot be deleted; hiding it instead`);
    await writeChanges(
      glance,
      action.imageId,
      action.fallback.filter((change) => change.field !== 'status'),
      action.name,
      log,
    );
    // Deactivating is as far as retiring goes; hidden is what matters.
    const status = action.fallback.filter((change) => change.field === 'status');
    await writeChanges(glance, action.imageId, status, action.name, log).catch(() => undefined);
    return { status: 'done', imageId: action.imageId, message: 'in use: hidden instead of deleted' };
  }
}

/** The requests for a list of changes: one PATCH for every field, then the tag calls, then the status. */
async function writeChanges(
  glance: GlanceClient,
  imageId: string,
  changes: Change[],
  name: string,
  log: Logger,
): Promise<void> {
  const patch = patchOf(changes);
  if (patch.length > 0) await patchImage(glance, imageId, patch);
  for (const change of changes) {
    if (change.field === 'tags') {
      const { add, remove } = tagDelta(change);
      for (const tag of add) await glance.addTag(imageId, tag);
      for (const tag of remove) await glance.removeTag(imageId, tag);
    }
  }
  for (const change of changes) {
    if (change.field !== 'status') continue;
    log.info(`${change.after === 'deactivated' ? 'Deactivating' : 'Reactivating'} image '${name}'`);
    if (change.after === 'deactivated') await glance.deactivate(imageId);
    else await glance.reactivate(imageId);
  }
}

/**
 * One PATCH. Glance refuses (409) to remove a property that is not there: when the image, read back, shows the
 * whole patch in place (another run, or this run's earlier attempt, did it), that is done.
 */
async function patchImage(glance: GlanceClient, imageId: string, patch: PatchOperation[]): Promise<void> {
  try {
    await glance.updateImage(imageId, patch);
  } catch (error) {
    if (!isHttpStatus(error, 409) || !patch.some((operation) => operation.op === 'remove')) throw error;
    if (!patchApplied(await glance.getImage(imageId), patch)) throw error;
  }
}

/** Glance's JSON patch for the changes that are fields of the image (tags and status have calls of their own). */
export function patchOf(changes: Change[]): PatchOperation[] {
  const patch: PatchOperation[] = [];
  for (const change of changes) {
    if (isPropertyChange(change)) {
      const path = `/${escapePointer(propertyKey(change))}`;
      patch.push(change.after === null ? { op: 'remove', path } : { op: 'add', path, value: change.after });
    } else if (change.field !== 'tags' && change.field !== 'status') {
      patch.push({ op: 'replace', path: `/${change.field}`, value: change.after });
    }
  }
  return patch;
}

/** RFC 6901: `~` and `/` inside a property name. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
