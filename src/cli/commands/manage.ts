import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import {
  compileFilter,
  DefinitionError,
  formatIssue,
  loadDefinitions,
  selectDefinitions,
} from '../../definitions/index.js';
import { checkBeforeRun } from '../../definitions/preflight.js';
import { checkDefinitions } from '../../scs/definitions.js';
import type { ImageDefinition } from '../../definitions/types.js';
import { applyPlan, type RunReport } from '../../apply/executor.js';
import { tooOldImages } from '../../plan/age.js';
import { Importer } from '../../apply/importer.js';
import { imagesNamed, observe, type Observation } from '../../apply/observe.js';
import { publishedNames } from '../../plan/names.js';
import { plan as makePlan } from '../../plan/plan.js';
import type { Plan, PlanOptions } from '../../plan/types.js';
import { SourceReader } from '../../sources/source.js';
import type { FetchLike } from '../../openstack/http.js';
import { definitionsForRun } from '../../upstream/for-run.js';
import { reportDiscovery, discoveryOutput, warnStale } from './discovery-report.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import type { ProgramOptions } from '../options.js';
import { formatPlan, formatReport, jsonDocument } from '../output.js';

/** What a run of `image-manager` (no command) reads of the options: all but the connection, logging and sharing. */
export type ManageOptions = Omit<ProgramOptions, NotRead | `share${string}`>;
type NotRead = 'cloud' | 'debug' | 'logFormat' | 'yesIReallyKnowWhatIDo';

/** The catalogue shipped with the tool: `images/` at the package root. */
export function shippedImagesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../images');
}

export interface LoadedSelection {
  all: ImageDefinition[];
  selected: ImageDefinition[];
}

/** Loads and validates every definition file, then selects what this run manages. Nothing touches a cloud. */
export function loadSelection(options: ManageOptions, log: Logger): LoadedSelection {
  if (options.filter !== undefined) compileFilter(options.filter); // a bad pattern fails before any file is read
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const selected = selectDefinitions(definitions, { filter: options.filter, force: options.force });
  log.info(`Loaded ${definitions.length} image definitions from ${source}; ${selected.length} selected`);
  const preflight = { localFileDirs: options.allowLocalFiles, propertyQuota: options.propertyQuota };
  const refused = checkBeforeRun(selected, preflight);
  if (refused.length > 0) throw new DefinitionError(refused, warnings);
  if (options.check || options.checkOnly) {
    const compliance = checkDefinitions(selected, options.tag, { version: options.scsVersion, now: new Date() });
    for (const warning of compliance.warnings) log.warn(formatIssue(warning));
    if (compliance.errors.length > 0) throw new DefinitionError(compliance.errors, compliance.warnings);
    log.info(`The selected definitions would publish images that pass scs-0102 ${options.scsVersion}`);
  }
  return { all: definitions, selected };
}

export interface ManageResult {
  exitCode: number;
  plan: Plan;
  report?: RunReport;
}

function planOptionsOf(options: ManageOptions): PlanOptions {
  const { tag, latest, hide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep } = options;
  const today = new Date().toISOString().slice(0, 10);
  return { tag, latest, hide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep, today };
}

export async function manage(
  context: CloudContext,
  selection: LoadedSelection,
  options: ManageOptions,
  log: Logger,
  stdout: NodeJS.WritableStream,
  fetch: FetchLike,
): Promise<ManageResult> {
  const observation = await observe(context, options.tag);
  log.info(`Found ${observation.images.length} managed images in cloud ${context.cloud.name}`);
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
  const unmanagedNamed = await imagesNamed(context.glance, run.definitions.flatMap(publishedNames));
  const plan = makePlan({
    definitions: run.definitions,
    observed: observation.images,
    unmanagedNamed,
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
    options: planOptionsOf(options),
  });
  if (options.checkAge) {
    const { images, projectId } = observation;
    plan.notes.push(...tooOldImages(run.definitions, images, options.tag, options.maxAge, projectId));
  }
  logNotes(plan, log);

  if (options.dryRun) {
    log.info(`Dry run: ${plan.actions.length} actions planned, none carried out`);
    const json = () => jsonDocument({ dryRun: true, plan, ...discoveryOutput(run) });
    stdout.write(options.output === 'json' ? json() : formatPlan(plan));
    return { exitCode: upstreamFailed ? EXIT_FAILED : EXIT_OK, plan };
  }

  const importer = importerFor(context, options, observation, fetch, log);
  const report = await applyPlan(plan, { glance: context.glance, importer, log }, options.parallel);
  const { done, failed, skipped, deferred } = report.counts;
  (failed > 0 ? log.error.bind(log) : log.info.bind(log))(
    `${done} actions done, ${failed} failed, ${skipped} skipped, ${deferred} deferred`,
  );
  const json = () => jsonDocument({ dryRun: false, plan, report, ...discoveryOutput(run) });
  stdout.write(options.output === 'json' ? json() : formatReport(report));
  return { exitCode: failed > 0 || upstreamFailed ? EXIT_FAILED : EXIT_OK, plan, report };
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
  fetch: FetchLike,
  log: Logger,
): Importer {
  const deps = {
    glance: context.glance,
    sources: new SourceReader(fetch, { localFileDirs: options.allowLocalFiles, timeoutMs: options.timeout * 1000 }),
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
