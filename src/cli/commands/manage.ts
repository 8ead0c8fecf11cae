import { getHashes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RunReport } from '../../apply/executor.js';
import { Importer } from '../../apply/importer.js';
import type { Observation } from '../../apply/observe.js';
import type { Plan } from '../../plan/types.js';
import { SourceReader } from '../../sources/source.js';
import type { FetchLike } from '../../net/fetch.js';
import { carryOut } from '../../run/apply.js';
import { prepareRun } from '../../run/prepare.js';
import { reportDiscovery, discoveryOutput, warnStale } from './discovery-report.js';
import type { LoadedSelection, ManageOptions } from './selection.js';
import type { UrlSigner } from '../../sources/signed-url.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { renderDryRun, renderRunSummary } from '../render/run.js';
import type { ApplyObserver } from '../../apply/observer.js';
import { plural } from '../../util/plural.js';

export { type LoadedSelection, loadSelection, type ManageOptions, shippedImagesDir } from './selection.js';

export interface ManageResult {
  exitCode: number;
  plan: Plan;
  report?: RunReport;
}

/** How image sources and upstream indexes are read: `fetch`, and for image data `download` when given. */
export interface SourceAccess {
  fetch: FetchLike;
  download?: FetchLike;
  /** --mirror-signing: how a private mirror's URLs are signed for each import. */
  signer?: UrlSigner;
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
  const {
    observation,
    discovery: run,
    plan,
  } = await prepareRun({
    cloud: context,
    selected: selection.selected,
    options,
    fetch: sources.fetch,
    now: new Date(context.clock.now()),
    clock: context.clock,
    purpose: 'run',
    report: {
      observed: ({ images }) =>
        log.info(`Found ${plural(images.length, 'managed image')} in cloud ${context.cloud.name}`),
      discovered: (discovery) => {
        reportDiscovery(discovery, log);
        warnStale(discovery.definitions, log, context.clock.now());
      },
    },
  });
  const upstreamFailed = run.failures.length > 0;
  logNotes(plan, log);

  if (options.dryRun) {
    log.info(`Dry run: ${plural(plan.actions.length, 'action')} planned, none carried out`);
    stdout.write(renderDryRun(plan, discoveryOutput(run), options.output));
    return { exitCode: upstreamFailed ? EXIT_FAILED : EXIT_OK, plan };
  }

  const importer = importerFor(context, options, observation, sources, log);
  const limits = { parallel: options.parallel, maxImporting: options.maxImporting };
  const report = await carryOut(plan, { glance: context.glance, importer, log, observer, ...timeOf(context) }, limits);
  stdout.write(renderRunSummary(plan, report, discoveryOutput(run), options.output));
  return { exitCode: report.counts.failed > 0 || upstreamFailed ? EXIT_FAILED : EXIT_OK, plan, report };
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
  { fetch, download, signer }: SourceAccess,
  log: Logger,
): Importer {
  const readerOptions = {
    localFileDirs: options.allowLocalFiles,
    timeoutMs: options.timeout * 1000,
    clock: context.clock,
    maxUnpackedBytes: options.maxUnpackedSize * 2 ** 30,
  };
  const deps = {
    glance: context.glance,
    sources: new SourceReader(fetch, download ? { ...readerOptions, download } : readerOptions),
    log,
    ...timeOf(context),
    ...(signer ? { signer } : {}),
  };
  return new Importer(deps, {
    tag: options.tag,
    wait: options.wait,
    importTimeoutMs: options.importTimeout * 1000,
    stuckRetry: options.stuckRetry,
    prefetch: options.prefetch,
    verifyChecksum: options.verifyChecksum,
    methods: observation.importMethods,
    // The hash Glance stores, as its images show it (os_hash_algo, sha512 by default): the tool's read computes it.
    ...glanceHashAlgoOf(observation),
    taskStaleMs: options.stuckAfter * 1000,
    // The project makes new images' ids deterministic, so a second run anywhere cannot create a twin.
    ...(observation.projectId ? { projectId: observation.projectId } : {}),
  });
}

/** The algorithm Glance's images carry, when this tool can compute it too (else the default, sha512). */
function glanceHashAlgoOf({ images }: Observation): { glanceHashAlgo?: string } {
  const algo = images.find((image) => image.os_hash_algo)?.os_hash_algo;
  return algo && getHashes().includes(algo) ? { glanceHashAlgo: algo } : {};
}

/** The run's clock as the executor and the importer take it: a clock reading and a pause. */
function timeOf({ clock }: CloudContext): { now: () => number; sleep: (ms: number) => Promise<void> } {
  return { now: () => clock.now(), sleep: (ms) => clock.sleep(ms) };
}
