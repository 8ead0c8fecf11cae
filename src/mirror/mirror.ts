import type { ImageDefinition } from '../definitions/types.js';
import { type CopyOptions, type MirrorOutcome, mirrorOne, mirrorUrlOf } from './copy.js';
import { type MirrorObserver, told } from './observer.js';
import { inShapeOf, type MirrorTarget, mirrorTargets, prunable } from './targets.js';

export interface PruneOutcome {
  object: string;
  action: 'pruned' | 'would-prune' | 'kept' | 'failed';
  reason?: string;
}

export interface MirrorReport {
  store: string;
  dryRun: boolean;
  /** The signal that interrupted the run: the copy under way was undone, later versions not started. */
  interrupted?: string;
  objects: MirrorOutcome[];
  pruned: PruneOutcome[];
}

export interface MirrorRequest extends CopyOptions {
  definitions: readonly ImageDefinition[];
  latest: boolean;
  prune: boolean;
  /** Told as each version is mirrored, in this order (the log, the live view). */
  observers?: readonly MirrorObserver[];
}

/** Mirrors the versions of the definitions one after another, then prunes what is no longer defined (asked). */
export async function mirrorAll(request: MirrorRequest): Promise<MirrorReport> {
  const objects: MirrorOutcome[] = [];
  const observer = told(request.observers);
  const targets = mirrorTargets(request.definitions, request.latest);
  observer.planned(targets);
  for (const target of targets) {
    if (request.signal?.aborted) {
      objects.push(await notStarted(target, request));
      continue;
    }
    observer.started(target);
    const outcome = await mirrorOne(target, request, observer);
    observer.ended(outcome);
    objects.push(outcome);
  }
  const interrupted = request.signal?.aborted ? { interrupted: String(request.signal.reason) } : {};
  const pruned = request.prune && !request.signal?.aborted ? await pruneAll(request) : [];
  return { store: request.store.where, dryRun: request.dryRun, ...interrupted, objects, pruned };
}

async function notStarted(target: MirrorTarget, request: MirrorRequest): Promise<MirrorOutcome> {
  const { definition, version, url: source, object } = target;
  const reason = `not started: interrupted (${String(request.signal?.reason)})`;
  const mirrorUrl = await mirrorUrlOf(object, request);
  return { definition, version, source, object, mirrorUrl, action: 'skipped', reason };
}

/** How old an upload no object holds must be before `--prune` takes it for a killed run's: a copy may take hours. */
export const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

/**
 * Deletes objects of versions no longer defined, only those this tool wrote (its marker); and what killed runs
 * left of uploads of the definition's objects (ABANDONED_AFTER_MS old at least).
 */
async function pruneAll(request: MirrorRequest): Promise<PruneOutcome[]> {
  const { store, dryRun } = request;
  const outcomes: PruneOutcome[] = [];
  for (const definition of request.definitions) {
    if (!definition.shortname) continue;
    try {
      for (const object of prunable(definition, await store.list(`${definition.shortname}/`))) {
        outcomes.push(await pruneOne(request, object, dryRun));
      }
      outcomes.push(...(await sweep(request, definition)));
    } catch (error) {
      outcomes.push({ object: `${definition.shortname}/`, action: 'failed', reason: messageOf(error) });
    }
  }
  return outcomes;
}

async function sweep(request: MirrorRequest, definition: ImageDefinition): Promise<PruneOutcome[]> {
  const before = request.clock.now() - ABANDONED_AFTER_MS;
  const found = await request.store.abandoned(`${definition.shortname}/`, before);
  const outcomes: PruneOutcome[] = [];
  for (const upload of found.filter((candidate) => inShapeOf(definition, candidate.object))) {
    const object = `${upload.object} (upload ${upload.id})`;
    const reason = `begun over ${ABANDONED_AFTER_MS / 3_600_000} h ago and held by no object: a killed run's`;
    if (!request.dryRun) await request.store.discard(upload);
    outcomes.push({ object, action: request.dryRun ? 'would-prune' : 'pruned', reason });
  }
  return outcomes;
}

async function pruneOne(request: MirrorRequest, object: string, dryRun: boolean): Promise<PruneOutcome> {
  const found = await request.store.head(object);
  if (!found?.ours) return { object, action: 'kept', reason: 'not written by this tool' };
  if (dryRun) return { object, action: 'would-prune' };
  await request.store.remove(object);
  return { object, action: 'pruned' };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Exit 1 when a version or a prune failed; skipped versions are reported, not failures. */
export function mirrorFailed(report: MirrorReport): boolean {
  return report.objects.some((entry) => entry.action === 'failed') || report.pruned.some((p) => p.action === 'failed');
}
