import { type ActionResult, countsLine, type RunReport } from '../../apply/executor.js';
import type { Action, Plan } from '../../plan/types.js';
import { safeText } from '../safe-text.js';
import { imageOf, whatItDoes } from './describe.js';
import { type Column, table } from '../../util/table.js';
import { TEXT_WIDTH } from '../../util/text-width.js';
import { NOTHING_TO_DO } from '../output.js';
import { duration } from './text.js';

/** The time column keeps its width; the others give way, the widest first. */
const COLUMNS: readonly Column[] = [
  { title: 'IMAGE', flex: true },
  { title: 'ACTION', flex: true },
  { title: 'RESULT', flex: true },
  { title: 'TIME', alignRight: true },
];

type Row = [image: string, action: string, result: string, time: string];

/**
 * The run's summary for a person: one row an action (the image, what was done, how it ended and how long it
 * took), every cell escaped (safeText) and cut with an ellipsis to fit `width`; the last line counts the
 * results, as before the table existed.
 */
export function formatSummary(plan: Plan, report: RunReport, width = TEXT_WIDTH): string {
  const actions = new Map(plan.actions.map((action) => [action.seq, action]));
  const rows = report.results.map((result) => rowOf(result, actions.get(result.seq)));
  const lines = rows.length > 0 ? table(COLUMNS, rows, { width }) : [NOTHING_TO_DO];
  lines.push(countsLine(report));
  return `${lines.join('\n')}\n`;
}

/** `4 actions: 3 done, 1 failed, 0 skipped, 0 deferred`. */
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
