import type { MirrorOutcome } from './copy.js';
import type { MirrorTarget } from './targets.js';

/**
 * Where a version's copy stands. `checking`: the store is asked what it holds under the name (a HEAD);
 * `reading`: the source is opened and its first bytes checked against the format; `uploading`: its bytes
 * stream into the store; `committing`: the source has ended, its checksum is checked and the object committed.
 */
export type MirrorPhase = 'checking' | 'reading' | 'uploading' | 'committing';

/**
 * What `mirrorAll` tells whoever watches it (a live view on a terminal, the log). Every method is optional;
 * nothing here knows how it is shown. One version is copied at a time.
 */
export interface MirrorObserver {
  /** The versions about to be mirrored, in their order, once before the first. */
  planned?(targets: readonly MirrorTarget[]): void;
  /** The version's turn has come: its store is checked first. */
  started?(target: MirrorTarget): void;
  phase?(target: MirrorTarget, phase: MirrorPhase): void;
  /** Bytes handed to the store so far (the image as unpacked), and the total when the source said it. */
  bytes?(target: MirrorTarget, sent: number, total?: number): void;
  /** What became of the version. */
  ended?(outcome: MirrorOutcome): void;
}

/**
 * One observer that tells each of `observers` in turn, every method present and none able to throw: a fault
 * in how a copy is shown never fails the copy (a throw in `bytes` would otherwise break the stream into the
 * store).
 */
export function told(observers: readonly MirrorObserver[] = []): Required<MirrorObserver> {
  const each = (call: (observer: MirrorObserver) => void) => {
    for (const observer of observers) quietly(() => call(observer));
  };
  return {
    planned: (targets) => each((o) => o.planned?.(targets)),
    started: (target) => each((o) => o.started?.(target)),
    phase: (target, phase) => each((o) => o.phase?.(target, phase)),
    bytes: (target, sent, total) => each((o) => o.bytes?.(target, sent, total)),
    ended: (outcome) => each((o) => o.ended?.(outcome)),
  };
}

function quietly(call: () => void): void {
  try {
    call();
  } catch {
    // An observer only watches; see told().
  }
}
