import type { Logger } from 'pino';
import { imagesNamed, observe } from '../../apply/observe.js';
import type { FetchLike } from '../../net/fetch.js';
import { plan as makePlan } from '../../plan/plan.js';
import { formatStatus } from '../../status/format.js';
import type { StatusView } from '../../status/types.js';
import { namesToAsk, statusView } from '../../status/view.js';
import { definitionsForRun } from '../../upstream/for-run.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import type { ProgramOptions } from '../options.js';
import { jsonText } from '../safe-text.js';
import { reportDiscovery } from './discovery-report.js';
import { planOptionsOf } from './manage.js';
import type { LoadedSelection } from './selection.js';

/**
 * `image-manager status` on one cloud: per definition what is defined, what the cloud holds, what differs and
 * what the next run would do. Read-only: it observes as a run does and makes the plan a `--dry-run` with the
 * same flags would print. The exit code: 0 when the cloud was read, drift or not (1 only when an upstream asked
 * for failed).
 */
export async function status(
  context: CloudContext,
  selection: LoadedSelection,
  options: ProgramOptions,
  { log, stdout, fetch }: { log: Logger; stdout: NodeJS.WritableStream; fetch: FetchLike },
): Promise<number> {
  const view = await readStatus(context, selection, options, log, fetch);
  stdout.write(options.output === 'json' ? `${jsonText(view)}\n` : formatStatus(view));
  return view.upstreamFailures.length > 0 ? EXIT_FAILED : EXIT_OK;
}

/**
 * Observes as `manage` does, plans with the options `manage` would plan with, and lays the result out. Unlike a
 * run, it always asks for the images called like managed ones (one listing per 40 names): a plan's actions do
 * not depend on them, only its warnings do, and status names every collision.
 */
export async function readStatus(
  context: CloudContext,
  selection: LoadedSelection,
  options: ProgramOptions,
  log: Logger,
  fetch: FetchLike,
): Promise<StatusView> {
  const observation = await observe(context, options.tag);
  const projectId = observation.projectId ? { projectId: observation.projectId } : {};
  const run = await definitionsForRun(selection.selected, observation.images, {
    update: options.update,
    tag: options.tag,
    ...projectId,
    fetch,
    parallel: options.parallel,
    timeoutMs: options.timeout * 1000,
  });
  reportDiscovery(run, log);
  const unmanagedNamed = await imagesNamed(context.glance, namesToAsk(run.definitions, observation.images));
  const planOptions = planOptionsOf(options);
  const input = { definitions: run.definitions, observed: observation.images, unmanagedNamed, ...projectId };
  const plan = makePlan({ ...input, options: planOptions });
  return statusView({
    ...input,
    cloud: context.cloud.name,
    allDefinitions: selection.all,
    options: planOptions,
    plan,
    now: new Date(),
    upstreamFailures: run.failures,
  });
}
