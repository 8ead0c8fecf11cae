import type { Action } from '../plan/types.js';
import type { ActionResult } from './executor.js';

/**
 * Where an import stands. `creating`: the source is tested and the image created; `waiting`: for a slot
 * (--max-importing), or for an import an earlier run started; `downloading`: Glance fetches the data
 * (web-download); `uploading`: this tool streams it into Glance's staging area (glance-direct); `importing`:
 * Glance imports what was staged; `active` and `failed`: the end.
 */
export type ImportPhase =
  | 'creating'
  | 'waiting'
  | 'downloading'
  | 'uploading'
  | 'importing'
  | 'verifying'
  | 'active'
  | 'failed';

/**
 * What a run tells whoever watches it (a live view on a terminal). Every method is optional and must not
 * throw; nothing here knows how it is shown. Actions are told apart by identity (several plans may run at
 * once, one per cloud, with the same sequence numbers).
 */
export interface ApplyObserver {
  /** The action's predecessors succeeded and it starts now. */
  actionStarted?(action: Action): void;
  /** An import moved to another phase; `detail` is what Glance says (its image status) or why. */
  phase?(action: Action, phase: ImportPhase, detail?: string): void;
  /** Bytes this tool has streamed into Glance for the action so far, and the total when known. */
  bytes?(action: Action, sent: number, total?: number): void;
  /** The action's result, also for one that was skipped or deferred without starting. */
  actionEnded?(action: Action, result: ActionResult): void;
}

/** What the importer reports for one import: the observer, bound to its action. */
export interface ImportProgress {
  phase(phase: ImportPhase, detail?: string): void;
  bytes(sent: number, total?: number): void;
}

/** The importer's progress of one action, or undefined when nobody watches. */
export function progressOf(action: Action, observer: ApplyObserver | undefined): ImportProgress | undefined {
  if (!observer) return undefined;
  return {
    phase: (phase, detail) => observer.phase?.(action, phase, detail),
    bytes: (sent, total) => observer.bytes?.(action, sent, total),
  };
}
