import type { ActionResult } from '../../apply/executor.js';
import type { ApplyObserver, ImportPhase } from '../../apply/observer.js';
import type { Action } from '../../plan/types.js';
import { safeText } from '../safe-text.js';
import { imageOf } from './describe.js';
import { plural } from '../../util/plural.js';
import { ellipsize } from '../../util/text-width.js';
import { nameWidth, type Row, rowLine, sentAfter } from './rows.js';

/** One running import as the live view shows it. */
interface ImportRow extends Row {
  phase: ImportPhase;
}

/**
 * What the run is doing now, from the executor's events: a row per running import (image, phase, elapsed
 * time; bytes and rate while this tool uploads) and how many actions have ended. Knows nothing of terminals:
 * `lines` is the text the live view draws. `changed` is called when a row appears, moves to another phase,
 * gets its first byte count or goes (not for each further count: the live view shows those on its next tick).
 */
export class ProgressBoard implements ApplyObserver {
  private readonly rows = new Map<Action, ImportRow>();
  private ended = 0;
  private failed = 0;

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void = () => undefined,
  ) {}

  actionStarted(action: Action): void {
    if (action.kind !== 'import' && action.kind !== 'resume-import') return;
    this.rows.set(action, { name: safeText(imageOf(action)), startedAt: this.now(), phase: 'creating' });
    this.changed();
  }

  phase(action: Action, phase: ImportPhase, detail?: string): void {
    const row = this.rows.get(action);
    if (!row) return;
    const moved = row.phase !== phase || row.detail !== detail;
    row.phase = phase;
    if (detail === undefined) delete row.detail;
    else row.detail = safeText(detail);
    if (phase !== 'uploading') delete row.sent;
    if (moved) this.changed();
  }

  bytes(action: Action, sent: number, total?: number): void {
    const row = this.rows.get(action);
    if (!row) return;
    const first = row.sent === undefined;
    row.sent = sentAfter(row.sent, sent, total, this.now());
    // The first count is drawn at once; the rest on the live view's next tick.
    if (first) this.changed();
  }

  actionEnded(action: Action, result: ActionResult): void {
    this.ended++;
    if (result.status === 'failed') this.failed++;
    if (this.rows.delete(action)) this.changed();
  }

  /** Whether an import is running (there is something to draw). */
  get active(): boolean {
    return this.rows.size > 0;
  }

  /** The live area: a line of counts, then one line a running import, each at most `width` characters. */
  lines(width: number): string[] {
    if (this.rows.size === 0) return [];
    const now = this.now();
    const rows = [...this.rows.values()];
    const names = nameWidth(rows.map((row) => row.name));
    const failed = this.failed > 0 ? `, ${this.failed} failed` : '';
    const head = `${plural(rows.length, 'import')} running, ${plural(this.ended, 'action')} ended${failed}`;
    const body = rows.map((row) => rowLine(row, names, now, width));
    return [ellipsize(head, width), ...body];
  }
}
