import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { compileFilter, DefinitionError, loadDefinitions, selectDefinitions, formatIssue } from '../../definitions/index.js';
import type { ScsVersion } from '../../scs/compliance.js';
import { checkDefinitions } from '../../scs/definitions.js';
import type { ImageDefinition, Visibility } from '../../definitions/types.js';
import type { GlanceImage } from '../../openstack/image.js';
import { applyPlan, type RunReport } from '../../reconcile/apply.js';
import { tooOldImages } from '../../reconcile/age.js';
import { Importer } from '../../reconcile/importer.js';
import { plan as makePlan } from '../../reconcile/plan.js';
import type { Plan, PlanOptions } from '../../reconcile/types.js';
import { SourceReader } from '../../sources/source.js';
import type { FetchLike } from '../../openstack/http.js';
import { definitionsForRun } from '../../upstream/for-run.js';
import { reportDiscovery, discoveryOutput, warnStale } from './discovery-report.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit.js';
import { formatPlan, formatReport, jsonDocument } from '../output.js';

export interface ManageOptions {
  images?: string;
  filter?: string;
  force: boolean;
  latest: boolean;
  tag: string;
  dryRun: boolean;
  wait: boolean;
  hide: boolean;
  hiddenVisibility?: Visibility;
  useOsHidden: boolean;
  deactivate: boolean;
  delete: boolean;
  keep: boolean;
  parallel: number;
  stuckRetry: number;
  importTimeout: number;
  prefetch: 'never' | 'on-stuck' | 'always';
  verifyChecksum: boolean;
  check: boolean;
  checkOnly: boolean;
  checkAge: boolean;
  maxAge: number;
  /** --update: discover new upstream builds in memory and import them. */
  update: boolean;
  /** Per request (API and upstream), seconds. */
  timeout?: number;
  scsVersion: ScsVersion;
  output: 'text' | 'json';
}

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
  const filter = options.filter !== undefined ? compileFilter(options.filter) : undefined;
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const selected = selectDefinitions(definitions, { ...(filter ? { filter: options.filter } : {}), force: options.force });
  log.info(`Loaded ${definitions.length} image definitions from ${source}; ${selected.length} selected`);
  if (options.check || options.checkOnly) {
    const compliance = checkDefinitions(selected, options.tag, { version: options.scsVersion, now: new Date() });
    for (const warning of compliance.warnings) log.warn(formatIssue(warning));
    if (compliance.errors.length > 0) throw new DefinitionError(compliance.errors, compliance.warnings);
    log.info(`The selected definitions would publish images that pass scs-0102 ${options.scsVersion}`);
  }
  return { all: definitions, selected };
}

export interface Observation {
  images: GlanceImage[];
  projectId?: string;
  importMethods: string[];
}

/**
 * Everything the planner needs from the cloud, in as few requests as pagination allows: the managed images
 * (visible and hidden: Glance lists only one kind per request) and the import methods.
 */
export async function observe(context: CloudContext, tag: string): Promise<Observation> {
  const token = await context.session.currentToken();
  const [visible, hidden, info] = await Promise.all([
    context.glance.listImages({ visibility: 'all', os_hidden: false, tags: [tag] }),
    context.glance.listImages({ visibility: 'all', os_hidden: true, tags: [tag] }),
    context.glance.importInfo(),
  ]);
  const seen = new Set<string>();
  const images = [...visible, ...hidden].filter((image) => !seen.has(image.id) && seen.add(image.id));
  return { images, importMethods: info.methods, ...(token.projectId ? { projectId: token.projectId } : {}) };
}

export interface ManageResult {
  exitCode: number;
  plan: Plan;
  report?: RunReport;
}

function planOptionsOf(options: ManageOptions): PlanOptions {
  return {
    tag: options.tag,
    latest: options.latest,
    hide: options.hide,
    ...(options.hiddenVisibility ? { hiddenVisibility: options.hiddenVisibility } : {}),
    useOsHidden: options.useOsHidden,
    deactivate: options.deactivate,
    delete: options.delete,
    keep: options.keep,
    today: new Date().toISOString().slice(0, 10),
  };
}

export async function manage(
  context: CloudContext,
  selection: LoadedSelection,
  options: ManageOptions,
  log: Logger,
  stdout: NodeJS.WritableStream,
  fetch: FetchLike,
): Promise<ManageResult> {
  if (options.parallel < 1) throw new UsageError('--parallel must be at least 1');
  const observation = await observe(context, options.tag);
  log.info(`Found ${observation.images.length} managed images in cloud ${context.cloud.name}`);
  const run = await definitionsForRun(selection.selected, observation.images, {
    update: options.update,
    tag: options.tag,
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
    fetch,
    parallel: options.parallel,
    timeoutMs: (options.timeout ?? 60) * 1000,
  });
  reportDiscovery(run, log);
  warnStale(run.definitions, options.tag, log);
  const upstreamFailed = run.failures.length > 0;
  const plan = makePlan({
    definitions: run.definitions,
    observed: observation.images,
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
    options: planOptionsOf(options),
  });
  if (options.checkAge) plan.notes.push(...tooOldImages(run.definitions, observation.images, options.tag, options.maxAge, observation.projectId));
  for (const note of plan.notes) {
    const line = `[${note.definition ?? '-'}]${note.image ? ` ${note.image}:` : ''} ${note.message}`;
    if (note.level === 'warn') log.warn(line);
    else log.info(line);
  }

  if (options.dryRun) {
    log.info(`Dry run: ${plan.actions.length} actions planned, none carried out`);
    stdout.write(options.output === 'json' ? jsonDocument({ dryRun: true, plan, ...discoveryOutput(run) }) : formatPlan(plan));
    return { exitCode: upstreamFailed ? EXIT_FAILED : EXIT_OK, plan };
  }

  const importer = new Importer(
    {
      glance: context.glance,
      sources: new SourceReader(fetch),
      log,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
    },
    {
      tag: options.tag,
      wait: options.wait,
      importTimeoutMs: options.importTimeout * 1000,
      stuckRetry: options.stuckRetry,
      prefetch: options.verifyChecksum ? 'always' : options.prefetch,
      methods: observation.importMethods,
    },
  );
  const report = await applyPlan(plan, { glance: context.glance, importer, log }, options.parallel);
  const { done, failed, skipped, deferred } = report.counts;
  (failed > 0 ? log.error.bind(log) : log.info.bind(log))(
    `${done} actions done, ${failed} failed, ${skipped} skipped, ${deferred} deferred`,
  );
  stdout.write(options.output === 'json' ? jsonDocument({ dryRun: false, plan, report, ...discoveryOutput(run) }) : formatReport(report));
  return { exitCode: failed > 0 || upstreamFailed ? EXIT_FAILED : EXIT_OK, plan, report };
}

