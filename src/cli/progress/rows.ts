import { ellipsize, padded, textWidth } from '../../util/text-width.js';
import { bytes, duration } from './text.js';

/** A name is cut to this many characters in a row (an ellipsis shows the cut). */
const MAX_NAME = 40;
const PHASE_WIDTH = 11;

/** The bytes a running thing has sent so far: the count, the total when known, when counting began. */
export interface Sent {
  sent: number;
  total?: number;
  since: number;
}

/** The count after a new one: the total kept when this one names none, the start kept for the rate. */
export function sentAfter(previous: Sent | undefined, sent: number, total: number | undefined, now: number): Sent {
  return { sent, total: total ?? previous?.total, since: previous?.since ?? now };
}

/** The width of the name column: the longest name, at most MAX_NAME. */
export function nameWidth(names: readonly string[]): number {
  return Math.min(MAX_NAME, Math.max(0, ...names.map(textWidth)));
}

/** One running thing (an import, a copy) as the live view shows it; the name and detail already made safe. */
export interface Row {
  name: string;
  startedAt: number;
  phase: string;
  /** Shown after the elapsed time: bytes and rate while there is a count, else this (what Glance says). */
  detail?: string;
  sent?: Sent;
}

/** A line of the live area: `  NAME  PHASE  ELAPSED  DETAIL`, at most `width` characters. */
export function rowLine(row: Row, names: number, now: number, width: number): string {
  const elapsed = duration(now - row.startedAt).padStart(7);
  const detail = row.sent ? transfer(row.sent, now) : (row.detail ?? '');
  const text = `  ${padded(row.name, names)}  ${padded(row.phase, PHASE_WIDTH)} ${elapsed}  ${detail}`;
  return ellipsize(text.trimEnd(), width);
}

/** `12.0 MiB of 40.0 MiB, 8.1 MiB/s`: the rate is the bytes since counting began over the time since then. */
function transfer({ sent, total, since }: Sent, now: number): string {
  const of = total === undefined ? '' : ` of ${bytes(total)}`;
  const seconds = (now - since) / 1000;
  const rate = seconds > 0.5 ? `, ${bytes(sent / seconds)}/s` : '';
  return `${bytes(sent)}${of}${rate}`;
}
