import type { ActionResult } from '../../apply/executor.js';
import type { ApplyObserver, ImportPhase } from '../../apply/observer.js';
import type { Action } from '../../plan/types.js';
import { safeText } from '../safe-text.js';
import { imageOf } from './describe.js';
import { plural } from '../../util/plural.js';
import { ellipsize, padded, textWidth } from '../../util/text-width.js';
import { bytes, duration } from './text.js';

/** One running import as the live view shows it. */
interface Row {
  image: string;
  startedAt: number;
  phase: ImportPhase;
  detail?: string;
  sent?: number;
  total?: number;
  /** When the first byte count came: the rate is the bytes since then over the time since then. */
  uploadStartedAt?: number;
}

const MAX_IMAGE = 40;
const PHASE_WIDTH = 11;

/**
 * What the run is doing now, from the executor's events: a row per running import (image, phase, elapsed
 * time; bytes and rate while this tool uploads) and how many actions have ended. Knows nothing of terminals:
 * `lines` is the text the live view draws. `changed` is called when a row appears, moves to another phase,
 * gets its first byte count or goes (not for each further count: the live view shows those on its next tick).
 */
export class ProgressBoard implements ApplyObserver {
  private readonly rows = new Map<Action, Row>();
  private ended = 0;
  private failed = 0;

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void = () => undefined,
  ) {}

  actionStarted(action: Action): void {
    if (action.kind !== 'import' && action.kind !== 'resume-import') return;
    this.rows.set(action, { image: safeText(imageOf(action)), startedAt: this.now(), phase: 'creating' });
    this.changed();
  }

  phase(action: Action, phase: ImportPhase, detail?: string): void {
    const row = this.rows.get(action);
    if (!row) return;
    const moved = row.phase !== phase || row.detail !== detail;
    row.phase = phase;
    if (detail === undefined) delete row.detail;
    else row.detail = safeText(detail);
    if (phase !== 'uploading') {
      delete row.sent;
      delete row.uploadStartedAt;
    }
    if (moved) this.changed();
  }

  bytes(action: Action, sent: number, total?: number): void {
    const row = this.rows.get(action);
    if (!row) return;
    const first = row.sent === undefined;
    row.uploadStartedAt ??= this.now();
    row.sent = sent;
    if (total !== undefined) row.total = total;
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
    const imageWidth = Math.min(MAX_IMAGE, Math.max(...rows.map((row) => textWidth(row.image))));
    const failed = this.failed > 0 ? `, ${this.failed} failed` : '';
    const head = `${plural(rows.length, 'import')} running, ${plural(this.ended, 'action')} ended${failed}`;
    const body = rows.map((row) => {
      const elapsed = duration(now - row.startedAt).padStart(7);
      const phase = padded(row.phase, PHASE_WIDTH);
      const text = `  ${padded(row.image, imageWidth)}  ${phase} ${elapsed}  ${details(row, now)}`;
      return ellipsize(text.trimEnd(), width);
    });
    return [ellipsize(head, width), ...body];
  }
}

/** Bytes and rate while uploading (`12.0 MiB of 40.0 MiB, 8.1 MiB/s`), else what Glance says. */
function details(row: Row, now: number): string {
  if (row.sent === undefined) return row.detail ?? '';
  const of = row.total === undefined ? '' : ` of ${bytes(row.total)}`;
  const seconds = (now - (row.uploadStartedAt ?? now)) / 1000;
  const rate = seconds > 0.5 ? `, ${bytes(row.sent / seconds)}/s` : '';
  return `${bytes(row.sent)}${of}${rate}`;
}
