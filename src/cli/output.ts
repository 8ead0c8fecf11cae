import type { RunReport } from '../apply/executor.js';
import type { Plan } from '../plan/types.js';
import { isMapping } from '../util/objects.js';
import { safeJson, safeText } from './safe-text.js';

/** The plan as --dry-run prints it: one line an action, in order, with what it waits for (escaped: safeText). */
export function formatPlan(plan: Plan): string {
  if (plan.actions.length === 0) return 'Nothing to do: every managed image matches its definition.\n';
  const lines = plan.actions.map((action) => {
    const after = action.after.length > 0 ? `  (after #${action.after.join(', #')})` : '';
    return `#${action.seq} [${safeText(action.definition)}] ${safeText(action.summary)}${after}`;
  });
  return `${lines.join('\n')}\n`;
}

export function formatReport(report: RunReport): string {
  const lines = report.results
    .filter((result) => result.status !== 'done')
    .map((result) => {
      const message = result.message ? ` (${safeText(result.message)})` : '';
      return `#${result.seq} ${result.status}: ${safeText(result.summary)}${message}`;
    });
  const { done, failed, skipped, deferred } = report.counts;
  lines.push(`${done} done, ${failed} failed, ${skipped} skipped, ${deferred} deferred`);
  return `${lines.join('\n')}\n`;
}

/** What --output json prints: one document, so that `| jq` always works. */
export function jsonDocument(parts: {
  plan?: Plan;
  report?: RunReport;
  dryRun: boolean;
  [key: string]: unknown;
}): string {
  const brief = (key: string, value: unknown) =>
    key === 'image' && isMapping(value) && 'id' in value
      ? { id: value.id, name: value.name, status: value.status }
      : value;
  return `${safeJson(JSON.stringify(parts, brief, 2))}\n`;
}
