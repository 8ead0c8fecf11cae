import type { ActionResult, RunReport } from '../../apply/executor.js';
import type { Action, Plan } from '../../plan/types.js';
import { safeText } from '../safe-text.js';
import { imageOf, whatItDoes } from './describe.js';
import { plural } from '../../util/plural.js';
import { padded, TEXT_WIDTH, textWidth } from '../../util/text-width.js';
import { duration } from './text.js';

const GAP = '  ';
const HEADER = ['IMAGE', 'ACTION', 'RESULT', 'TIME'] as const;

type Row = [image: string, action: string, result: string, time: string];

/**
 * The run's summary for a person: one row an action (the image, what was done, how it ended and how long it
 * took), every cell escaped (safeText) and cut with an ellipsis to fit `width`; the last line counts the
 * results, as before the table existed.
 */
export function formatSummary(plan: Plan, report: RunReport, width = TEXT_WIDTH): string {
  const actions = new Map(plan.actions.map((action) => [action.seq, action]));
  const rows = report.results.map((result) => rowOf(result, actions.get(result.seq)));
  const lines = rows.length > 0 ? table(rows, width) : ['Nothing to do: every managed image matches its definition.'];
  lines.push(countsLine(report));
  return `${lines.join('\n')}\n`;
}

/** `4 actions: 3 done, 1 failed, 0 skipped, 0 deferred`. */
export function countsLine(report: RunReport): string {
  const { done, failed, skipped, deferred } = report.counts;
  const counts = `${done} done, ${failed} failed, ${skipped} skipped, ${deferred} deferred`;
  return `${plural(report.results.length, 'action')}: ${counts}`;
}

function rowOf(result: ActionResult, action: Action | undefined): Row {
  const image = action ? imageOf(action) : result.definition;
  const what = action ? whatItDoes(action) : result.kind;
  const time = result.durationMs === undefined ? '-' : duration(result.durationMs);
  return [safeText(image), safeText(what), safeText(resultText(result)), time];
}

/** `done`, `done: checksum verified`, `failed: …`; a message that already names the status is not repeated. */
function resultText({ status, message }: ActionResult): string {
  if (!message) return status;
  return message.startsWith(`${status}:`) ? message : `${status}: ${message}`;
}

function table(rows: Row[], width: number): string[] {
  const widths = fitted(
    [0, 1, 2, 3].map((column) =>
      Math.max(HEADER[column]?.length ?? 0, ...rows.map((row) => textWidth(row[column] ?? ''))),
    ),
    width - 3 * GAP.length,
  );
  const [imageWidth = 0, actionWidth = 0, resultWidth = 0, timeWidth = 0] = widths;
  const line = ([image, action, result, time]: readonly string[]) =>
    [padded(image ?? '', imageWidth), padded(action ?? '', actionWidth), padded(result ?? '', resultWidth)].join(GAP) +
    GAP +
    (time ?? '').padStart(timeWidth);
  return [line(HEADER), ...rows.map(line)].map((text) => text.trimEnd());
}

/**
 * Column widths that add up to at most `room`: while they do not, the widest of image, action and result
 * gives up a character (the time column keeps its width), none below its header.
 */
function fitted(natural: number[], room: number): number[] {
  const widths = [...natural];
  let total = widths.reduce((sum, w) => sum + w, 0);
  while (total > room) {
    const widest = [0, 1, 2].reduce((best, column) => ((widths[column] ?? 0) > (widths[best] ?? 0) ? column : best), 0);
    if ((widths[widest] ?? 0) <= (HEADER[widest]?.length ?? 0)) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total--;
  }
  return widths;
}
