import type { Logger } from 'pino';
import { imagesNamed, observe } from '../../apply/observe.js';
import { ConnectionError } from '../../openstack/errors.js';
import type { FetchLike } from '../../openstack/http.js';
import { plan as makePlan } from '../../plan/plan.js';
import { formatStatus } from '../../status/format.js';
import type { StatusView } from '../../status/types.js';
import { namesToAsk, statusView } from '../../status/view.js';
import { definitionsForRun } from '../../upstream/for-run.js';
import type { Run } from '../actions.js';
import { type CloudContext, connect, logRequestCounts, singleCloud } from '../context.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit.js';
import { createRunLogger } from '../logger.js';
import type { ProgramOptions } from '../options.js';
import { jsonText } from '../safe-text.js';
import { reportDiscovery } from './discovery-report.js';
import { planOptionsOf } from './manage.js';
import { type LoadedSelection, loadSelection } from './selection.js';

/**
 * `image-manager status`: per definition what is defined, what the cloud holds, what differs and what the next
 * run would do. Read-only: it observes as a run does and makes the plan a `--dry-run` with the same flags
 * would print. Exit 0 when the cloud was read, drift or not (1 only when an upstream asked for failed).
 */
export async function status(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const selection = loadSelection(options, log);
  const context = connect(singleCloud(options, 'status'), options, redactor, log, io.env);
  try {
    const view = await readStatus(context, selection, options, log, io.fetch ?? (await undiciFetch()));
    io.stdout.write(options.output === 'json' ? `${jsonText(view)}\n` : formatStatus(view));
    setExit(view.upstreamFailures.length > 0 ? EXIT_FAILED : EXIT_OK);
  } catch (error) {
    if (error instanceof ConnectionError) throw new UsageError(`cloud "${context.cloud.name}": ${error.message}`);
    throw error;
  } finally {
    logRequestCounts(context, log);
  }
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

async function undiciFetch(): Promise<FetchLike> {
  const { undiciFetchWith } = await import('../../openstack/http.js');
  return undiciFetchWith(undefined);
}
