import { type ApplyDeps, type ApplyLimits, applyPlan, countsLine, type RunReport } from '../apply/executor.js';
import type { Plan } from '../plan/types.js';

/** Carries the plan out, and logs how it went: an error line when an action failed. */
export async function carryOut(plan: Plan, deps: ApplyDeps, limits: ApplyLimits): Promise<RunReport> {
  const report = await applyPlan(plan, deps, limits);
  const log = deps.log;
  (report.counts.failed > 0 ? log.error.bind(log) : log.info.bind(log))(countsLine(report));
  return report;
}
