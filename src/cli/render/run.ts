import type { RunReport } from '../../apply/executor.js';
import type { Plan } from '../../plan/types.js';
import type { DiscoveryOutput } from '../commands/discovery-report.js';
import { formatPlan, jsonDocument } from '../output.js';
import { formatSummary } from '../progress/summary.js';
import { type Format, render } from './format.js';

/** What a dry run prints: the plan, one line an action; or the document. */
export function renderDryRun(plan: Plan, discovery: DiscoveryOutput, format: Format): string {
  return render(format, {
    json: () => jsonDocument({ dryRun: true, plan, ...discovery }),
    text: () => formatPlan(plan),
  });
}

/** What a run prints when it ends: the summary table and the counts; or the document. */
export function renderRunSummary(plan: Plan, report: RunReport, discovery: DiscoveryOutput, format: Format): string {
  return render(format, {
    json: () => jsonDocument({ dryRun: false, plan, report, ...discovery }),
    text: () => formatSummary(plan, report),
  });
}
