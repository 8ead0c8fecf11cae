import type { MirrorAction, MirrorOutcome } from '../../mirror/copy.js';
import type { MirrorObserver, MirrorPhase } from '../../mirror/observer.js';
import type { MirrorTarget } from '../../mirror/targets.js';
import { plural } from '../../util/plural.js';
import { ellipsize } from '../../util/text-width.js';
import { safeText } from '../safe-text.js';
import { nameWidth, type Row, rowLine, sentAfter } from './rows.js';

/** The running copy: its target tells its events from a late one of another. */
interface CopyRow extends Row {
  target: MirrorTarget;
  phase: MirrorPhase;
}

/** How the head line counts the versions that ended, in this order. */
const COUNTED: readonly (readonly [string, readonly MirrorAction[]])[] = [
  ['present', ['present']],
  ['copied', ['copied', 'recopied']],
  ['would copy', ['would-copy', 'would-recopy']],
  ['skipped', ['skipped']],
  ['failed', ['failed']],
];

/**
 * What `mirror` is doing now, from its events: a head line (`mirroring 3 of 7 versions: 1 present, 1 copied`)
 * and a row for the running copy (object, phase, elapsed time; bytes and rate while it uploads). Knows
 * nothing of terminals: `lines` is the text the live view draws, nothing once every version has ended.
 * `changed` is called when the copy starts, moves to another phase, gets its first byte count or ends.
 */
export class MirrorBoard implements MirrorObserver {
  private total = 0;
  private readonly outcomes: MirrorAction[] = [];
  private row: CopyRow | undefined;

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void = () => undefined,
  ) {}

  planned(targets: readonly MirrorTarget[]): void {
    this.total = targets.length;
    this.changed();
  }

  started(target: MirrorTarget): void {
    this.row = { target, name: safeText(target.object), startedAt: this.now(), phase: 'checking' };
    this.changed();
  }

  phase(target: MirrorTarget, phase: MirrorPhase): void {
    const row = this.rowOf(target);
    if (!row || row.phase === phase) return;
    row.phase = phase;
    if (phase !== 'uploading') delete row.sent;
    this.changed();
  }

  bytes(target: MirrorTarget, sent: number, total?: number): void {
    const row = this.rowOf(target);
    if (!row) return;
    const first = row.sent === undefined;
    row.sent = sentAfter(row.sent, sent, total, this.now());
    // The first count is drawn at once; the rest on the live view's next tick.
    if (first) this.changed();
  }

  ended(outcome: MirrorOutcome): void {
    this.outcomes.push(outcome.action);
    this.row = undefined;
    this.changed();
  }

  /** The live area: the head line, then the running copy's row, each at most `width` characters. */
  lines(width: number): string[] {
    if (this.outcomes.length >= this.total) return [];
    const turn = `mirroring ${this.outcomes.length + 1} of ${plural(this.total, 'version')}`;
    const counts = COUNTED.flatMap(([word, actions]) => {
      const count = this.outcomes.filter((action) => actions.includes(action)).length;
      return count > 0 ? [`${count} ${word}`] : [];
    });
    const head = ellipsize(counts.length > 0 ? `${turn}: ${counts.join(', ')}` : turn, width);
    const { row } = this;
    return row ? [head, rowLine(row, nameWidth([row.name]), this.now(), width)] : [head];
  }

  private rowOf(target: MirrorTarget): CopyRow | undefined {
    return this.row?.target === target ? this.row : undefined;
  }
}
