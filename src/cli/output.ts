import type { RunReport } from '../apply/executor.js';
import type { GlanceImage } from '../openstack/image.js';
import type { Plan } from '../plan/types.js';
import type { DiscoveryOutput } from './commands/discovery-report.js';
import { jsonText, safeText } from './safe-text.js';

/** What the plan and the run's summary say when there is no action. */
export const NOTHING_TO_DO = 'Nothing to do: every managed image matches its definition.';

/** The plan as --dry-run prints it: one line an action, in order, with what it waits for (escaped: safeText). */
export function formatPlan(plan: Plan): string {
  if (plan.actions.length === 0) return `${NOTHING_TO_DO}\n`;
  const lines = plan.actions.map((action) => {
    const after = action.after.length > 0 ? `  (after #${action.after.join(', #')})` : '';
    return `#${action.seq} [${safeText(action.definition)}] ${safeText(action.summary)}${after}`;
  });
  return `${lines.join('\n')}\n`;
}

/** The document of a run or a dry run that --output json prints: one document, so that `| jq` always works. */
export function jsonDocument(parts: { dryRun: boolean; plan: Plan; report?: RunReport } & DiscoveryOutput): string {
  return `${jsonText({ ...parts, plan: planDocument(parts.plan) })}\n`;
}

/**
 * The plan as the document carries it: Glance's whole record of an image (a resume-import action's, a
 * decision's) cut to the image's id, name and status.
 */
function planDocument(plan: Plan) {
  const actions = plan.actions.map((action) =>
    action.kind === 'resume-import' ? { ...action, image: briefImage(action.image) } : action,
  );
  const definitions = plan.definitions.map((entry) => ({
    ...entry,
    versions: entry.versions.map((version) => ({
      ...version,
      decisions: version.decisions.map((decision) =>
        'image' in decision ? { ...decision, image: briefImage(decision.image) } : decision,
      ),
    })),
  }));
  return { ...plan, actions, definitions };
}

function briefImage({ id, name, status }: GlanceImage): Pick<GlanceImage, 'id' | 'name' | 'status'> {
  return { id, name, status };
}
