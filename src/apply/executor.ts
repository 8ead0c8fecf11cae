import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { isHttpStatus } from '../openstack/errors.js';
import { type GlanceClient, type GlanceImage, patchApplied } from '../openstack/image.js';
import { requiredMinDisk, tagDelta } from '../plan/diff.js';
import { remove, rename, update } from './image-actions.js';
import type { Verification } from '../definitions/verification-record.js';
import { ImportFailure, type ImportOutcome } from './import/outcome.js';
import { verificationChange, verificationText } from './verification.js';
import type { ImportPermits } from './import/permits.js';
import type { Importer } from './importer.js';
import { type ApplyObserver, progressOf } from './observer.js';
import { patchOf, writeChanges } from './write-changes.js';
import type { Action, Change, ImportAction, Plan, ResumeImportAction } from '../plan/types.js';
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
  /** How far an import's data was checked before it was published (an import that is done). */
  verification?: Verification;
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

/** The report in one line: `N actions: D done, F failed, S skipped, W deferred`. */
export function countsLine(report: RunReport): string {
  const { done, failed, skipped, deferred } = report.counts;
  const counts = `${done} done, ${failed} failed, ${skipped} skipped, ${deferred} deferred`;
  return `${plural(report.results.length, 'action')}: ${counts}`;
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
export async function applyPlan(plan: Plan, deps: ApplyDeps, limits: ApplyLimits): Promise<RunReport> {
  const { parallel, maxImporting = DEFAULT_MAX_IMPORTING } = limits;
  const permits: ImportPermits = { importing: pLimit(maxImporting), uploads: pLimit(parallel) };
  const outcomes = new Map<number, Promise<ActionResult>>();
  for (const action of plan.actions) {
    outcomes.set(action.seq, runWhenReady(action, outcomes, permits, deps));
  }
  const results = await Promise.all(plan.actions.map((action) => outcomes.get(action.seq) as Promise<ActionResult>));
  const counts: Record<ActionStatus, number> = { done: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}

async function runWhenReady(
  action: Action,
  outcomes: Map<number, Promise<ActionResult>>,
  permits: ImportPermits,
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
  const result = blocker ? notRun(action, blocker, deps) : await run(action, before, permits, deps);
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

async function run(
  action: Action,
  before: ActionResult[],
  permits: ImportPermits,
  deps: ApplyDeps,
): Promise<ActionResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  deps.observer?.actionStarted?.(action);
  const base = baseOf(action);
  try {
    const outcome = await execute(action, before, permits, deps);
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

/** What an action came to: the part of its result the action itself tells. */
export type Outcome = Pick<ActionResult, 'status' | 'message' | 'imageId' | 'verification'>;

async function execute(
  action: Action,
  before: ActionResult[],
  permits: ImportPermits,
  deps: ApplyDeps,
): Promise<Outcome> {
  const { importer } = deps;
  const progress = progressOf(action, deps.observer);
  switch (action.kind) {
    case 'import':
      return finishImport(await importer.importNew(action.desired, action.source, permits, progress), action, deps);
    case 'resume-import': {
      const outcome = await importer.resume(action.image, action.source, action.desired, permits, progress);
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
  const { image, verification } = outcome;
  const finishing = { ...action, changes: [...action.changes, verificationChange(image, verification)] };
  try {
    await describeOnce(finishing, image, deps);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const reason = `could not finish ${name} after its import: ${why}`;
    // Another run may be finishing the same image (two hosts): what it wrote is what this run wanted.
    if (await describedMeanwhile(action, image.id, deps)) return { status: 'done', imageId: image.id };
    // Only an image this action created is deleted again; a resumed one may be another run's.
    if (action.kind === 'resume-import') throw new ImportFailure(`${reason}; ${image.id} left as it is`, image.id);
    throw await deps.importer.abandon(image, new Error(reason));
  }
  return { status: 'done', imageId: image.id, message: verificationText(verification), verification };
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
