import { type ApplyDeps, type ApplyLimits, applyPlan, type RunReport } from '../apply/executor.js';
import type { Plan } from '../plan/types.js';
import { plural } from '../util/plural.js';

/** Carries the plan out, and logs how it went: an error line when an action failed. */
export async function carryOut(plan: Plan, deps: ApplyDeps, limits: ApplyLimits): Promise<RunReport> {
  const report = await applyPlan(plan, deps, limits);
  const { done, failed, skipped, deferred } = report.counts;
  const log = deps.log;
  (failed > 0 ? log.error.bind(log) : log.info.bind(log))(
    `${plural(report.results.length, 'action')}: ${done} done, ${failed} failed, ${skipped} skipped, ` +
      `${deferred} deferred`,
  );
  return report;
}
