import type { Logger } from 'pino';
import type { ImageDefinition } from '../../definitions/types.js';
import { applyPlan, type RunReport } from '../../apply/executor.js';
import { tooOldImages } from '../../plan/age.js';
import { Importer } from '../../apply/importer.js';
import { imagesNamed, observe, type Observation } from '../../apply/observe.js';
import { publishedNames } from '../../plan/names.js';
import { plan as makePlan } from '../../plan/plan.js';
import type { Plan, PlanOptions } from '../../plan/types.js';
import { SourceReader } from '../../sources/source.js';
import type { GlanceImage } from '../../openstack/image.js';
import type { FetchLike } from '../../openstack/http.js';
import { definitionsForRun } from '../../upstream/for-run.js';
import { reportDiscovery, discoveryOutput, warnStale } from './discovery-report.js';
import type { LoadedSelection, ManageOptions } from './selection.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { formatPlan, jsonDocument } from '../output.js';
import { formatSummary } from '../progress/summary.js';
import type { ApplyObserver } from '../../apply/observer.js';
import { plural } from '../../util/plural.js';

export { type LoadedSelection, loadSelection, type ManageOptions, shippedImagesDir } from './selection.js';

export interface ManageResult {
  exitCode: number;
  plan: Plan;
  report?: RunReport;
}

export function planOptionsOf(options: ManageOptions): PlanOptions {
  const { tag, latest, hide, unhide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep } = options;
  const today = new Date().toISOString().slice(0, 10);
  const plan = { tag, latest, hide, unhide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep, today };
  return options.outdatedNames ? { ...plan, outdatedNames: options.outdatedNames } : plan;
}

/** How image sources and upstream indexes are read: `fetch`, and for image data `download` when given. */
export interface SourceAccess {
  fetch: FetchLike;
  download?: FetchLike;
}

export async function manage(
  context: CloudContext,
  selection: LoadedSelection,
  options: ManageOptions,
  log: Logger,
  stdout: NodeJS.WritableStream,
  sources: SourceAccess,
  /** Told what the run does as it does it: the live view on a terminal. */
  observer?: ApplyObserver,
): Promise<ManageResult> {
  const { fetch } = sources;
  const observation = await observe(context, options.tag);
  log.info(`Found ${plural(observation.images.length, 'managed image')} in cloud ${context.cloud.name}`);
  const run = await definitionsForRun(selection.selected, observation.images, {
    update: options.update,
    tag: options.tag,
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
    fetch,
    parallel: options.parallel,
    timeoutMs: options.timeout * 1000,
  });
  reportDiscovery(run, log);
  warnStale(run.definitions, options.tag, log);
  const upstreamFailed = run.failures.length > 0;
  const plan = await planWithNames(context, run.definitions, observation, options);
  if (options.checkAge) {
    plan.notes.push(...tooOldImages(run.definitions, plan, observation.images, options.maxAge));
  }
  logNotes(plan, log);

  if (options.dryRun) {
    log.info(`Dry run: ${plural(plan.actions.length, 'action')} planned, none carried out`);
    const json = () => jsonDocument({ dryRun: true, plan, ...discoveryOutput(run) });
    stdout.write(options.output === 'json' ? json() : formatPlan(plan));
    return { exitCode: upstreamFailed ? EXIT_FAILED : EXIT_OK, plan };
  }

  const importer = importerFor(context, options, observation, sources, log);
  const limits = { parallel: options.parallel, maxImporting: options.maxImporting };
  const report = await applyPlan(plan, { glance: context.glance, importer, log, observer }, limits);
  const { done, failed, skipped, deferred } = report.counts;
  (failed > 0 ? log.error.bind(log) : log.info.bind(log))(
    `${plural(report.results.length, 'action')}: ${done} done, ${failed} failed, ${skipped} skipped, ` +
      `${deferred} deferred`,
  );
  const json = () => jsonDocument({ dryRun: false, plan, report, ...discoveryOutput(run) });
  stdout.write(options.output === 'json' ? json() : formatSummary(plan, report));
  return { exitCode: failed > 0 || upstreamFailed ? EXIT_FAILED : EXIT_OK, plan, report };
}

/**
 * The plan, with rule 12's warnings about unmanaged images that share a name the plan gives out. Glance is
 * asked for images of those names only when the plan gives out a name (an import, a rename): planning is pure
 * and cheap, so a plan without such actions is kept as it is, and a run with nothing to do stays at the
 * requests that observe the cloud. With such actions, the names are asked for and the plan made again.
 */
async function planWithNames(
  context: CloudContext,
  definitions: ImageDefinition[],
  observation: Observation,
  options: ManageOptions,
): Promise<Plan> {
  const planWith = (unmanagedNamed: GlanceImage[]) =>
    makePlan({
      definitions,
      observed: observation.images,
      unmanagedNamed,
      ...(observation.projectId ? { projectId: observation.projectId } : {}),
      options: planOptionsOf(options),
    });
  const first = planWith([]);
  if (!givesOutNames(first)) return first;
  return planWith(await imagesNamed(context.glance, definitions.flatMap(publishedNames)));
}

/** Whether an action of the plan gives an image a name: an import, a rename, or a resumed import's rename. */
export function givesOutNames(plan: Plan): boolean {
  return plan.actions.some(
    (action) =>
      action.kind === 'import' ||
      action.kind === 'rename' ||
      ('changes' in action && action.changes.some((change) => change.field === 'name')),
  );
}

function logNotes(plan: Plan, log: Logger): void {
  for (const note of plan.notes) {
    const line = `[${note.definition ?? '-'}]${note.image ? ` ${note.image}:` : ''} ${note.message}`;
    if (note.level === 'warn') log.warn(line);
    else log.info(line);
  }
}

function importerFor(
  context: CloudContext,
  options: ManageOptions,
  observation: Observation,
  { fetch, download }: SourceAccess,
  log: Logger,
): Importer {
  const readerOptions = { localFileDirs: options.allowLocalFiles, timeoutMs: options.timeout * 1000 };
  const deps = {
    glance: context.glance,
    sources: new SourceReader(fetch, download ? { ...readerOptions, download } : readerOptions),
    log,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
  return new Importer(deps, {
    tag: options.tag,
    wait: options.wait,
    importTimeoutMs: options.importTimeout * 1000,
    stuckRetry: options.stuckRetry,
    prefetch: options.verifyChecksum ? 'always' : options.prefetch,
    methods: observation.importMethods,
    taskStaleMs: options.stuckAfter * 1000,
    // The project makes new images' ids deterministic, so a second run anywhere cannot create a twin.
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
  });
}
