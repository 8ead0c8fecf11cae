import type { Logger } from 'pino';
import { compileFilter, formatIssue, loadDefinitions, selectDefinitions } from '../../definitions/index.js';
import { checkBeforeRun } from '../../run/preflight.js';
import { DefinitionError } from '../../definitions/index.js';
import type { MirrorOutcome } from '../../mirror/copy.js';
import { type MirrorReport, mirrorAll, mirrorFailed } from '../../mirror/mirror.js';
import type { MirrorObserver } from '../../mirror/observer.js';
import { S3Store } from '../../mirror/s3-store.js';
import type { S3Credentials } from '../../net/sigv4.js';
import type { ObjectStore } from '../../mirror/store.js';
import { SwiftStore } from '../../mirror/swift-store.js';
import type { FetchLike } from '../../net/fetch.js';
import type { Redactor } from '../../net/redact.js';
import { HttpClient } from '../../openstack/http.js';
import { SwiftClient } from '../../openstack/object-store.js';
import { SourceReader } from '../../sources/source.js';
import type { Clock } from '../../util/clock.js';
import { plural } from '../../util/plural.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit.js';
import { interruptedExitCode } from '../interrupts.js';
import type { declareMirror } from '../options.js';
import { type MirrorUrlFile, writeMirrorUrls } from './mirror-urls.js';
import { shippedImagesDir } from './selection.js';
import { s3KeysOf } from '../s3-keys.js';

export type MirrorOptions = ReturnType<ReturnType<typeof declareMirror>['opts']>;

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** Where the objects go, chosen by the flags: exactly one of --container and --s3-bucket. */
export type StoreChoice = { kind: 'swift'; container: string } | { kind: 's3'; bucket: string };

export function storeChoice(options: Pick<MirrorOptions, 'container' | 's3Bucket'>): StoreChoice {
  const { container, s3Bucket } = options;
  if ((container === undefined) === (s3Bucket === undefined)) {
    throw new UsageError('mirror needs exactly one of --container NAME (Swift) and --s3-bucket NAME (S3)');
  }
  const name = (container ?? s3Bucket) as string;
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    const flag = container !== undefined ? '--container' : '--s3-bucket';
    throw new UsageError(`${flag} ${JSON.stringify(name)}: a container or bucket name is one path segment`);
  }
  return container !== undefined ? { kind: 'swift', container } : { kind: 's3', bucket: name };
}

/**
 * The S3 service and keys: --s3-endpoint, else the environment's or the profile's endpoint; the keys from the
 * environment or the AWS credentials file (config/s3-profile.ts), made known to the redactor; never from a
 * definition.
 */
export function s3Access(
  options: Pick<MirrorOptions, 's3Endpoint' | 's3Profile'>,
  io: Pick<MirrorIo, 'env' | 'redactor' | 'log'>,
): { endpoint: string; credentials: S3Credentials } {
  const profile = s3KeysOf(io.env, io.redactor, options.s3Profile);
  for (const warning of profile.warnings) io.log.warn(warning);
  const { accessKeyId, secretAccessKey, sessionToken, region } = profile;
  const endpoint = options.s3Endpoint ?? profile.endpoint;
  if (endpoint === undefined) {
    throw new UsageError(`--s3-bucket needs --s3-endpoint URL (or endpoint_url in ${profile.origin})`);
  }
  if (!/^https?:\/\//.test(endpoint)) throw new UsageError(`S3 endpoint ${endpoint}: not an http(s) URL`);
  const credentials = {
    accessKeyId,
    secretAccessKey,
    region: region ?? 'us-east-1',
    ...(sessionToken && { sessionToken }),
  };
  return { endpoint, credentials };
}

/** The selected definitions, checked as a run checks them before it reads a source (file: URLs allowed, …). */
export function mirrorSelection(options: MirrorOptions, log: Logger) {
  if (options.filter !== undefined) compileFilter(options.filter);
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings, digests } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const selected = selectDefinitions(definitions, { filter: options.filter, force: options.force });
  // Only the checks every run makes (file: URLs, layouts); a mirror publishes no properties.
  const refused = checkBeforeRun(selected, {
    localFileDirs: options.allowLocalFiles,
    propertyQuota: Number.POSITIVE_INFINITY,
  });
  if (refused.length > 0) throw new DefinitionError(refused, warnings);
  log.info(`Loaded ${plural(definitions.length, 'image definition')} from ${source}; ${selected.length} selected`);
  return { selected, digests };
}

export interface MirrorIo {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** How sources are read: fetch (tests), download (production, undici). */
  sources: { fetch: FetchLike; download?: FetchLike };
  /** Swift's client, for --container: the cloud's session. */
  cloud?: CloudContext;
  /** The S3 client's HTTP, for tests; default a client of its own. */
  s3Fetch?: FetchLike;
  /** Aborted on SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** The live view of the copies, when one is shown. */
  watch?: MirrorObserver;
}

/** Builds the store the flags name. */
export function openStore(choice: StoreChoice, options: MirrorOptions, io: MirrorIo): ObjectStore {
  if (choice.kind === 'swift') {
    if (!io.cloud) throw new Error('a Swift mirror needs the cloud');
    return new SwiftStore(new SwiftClient(io.cloud.session), choice.container, io.clock);
  }
  const { endpoint, credentials } = s3Access(options, io);
  const http = new HttpClient({
    redactor: io.redactor,
    log: io.log,
    timeoutMs: options.timeout * 1000,
    retryBudgetMs: options.retryBudget * 1000,
    clock: io.clock,
    ...(io.s3Fetch && { fetch: io.s3Fetch }),
  });
  return new S3Store(http, { endpoint, bucket: choice.bucket }, credentials, io.clock);
}

/** What `mirror` did: the store's report, and the files --write-mirror-url wrote. */
export interface MirrorResult extends MirrorReport {
  files: MirrorUrlFile[];
}

/** `image-manager mirror`: copies the selected versions into the store, prunes (asked), writes mirror_url (asked). */
export async function mirror(
  selection: ReturnType<typeof mirrorSelection>,
  store: ObjectStore,
  options: MirrorOptions,
  io: MirrorIo,
): Promise<MirrorResult> {
  const { selected, digests } = selection;
  const reader = new SourceReader(io.sources.fetch, {
    timeoutMs: options.timeout * 1000,
    localFileDirs: options.allowLocalFiles,
    ...(io.sources.download && { download: io.sources.download }),
    clock: io.clock,
    maxUnpackedBytes: options.maxUnpackedSize * GIB,
  });
  const report = await mirrorAll({
    store,
    reader,
    definitions: selected,
    latest: options.latest,
    prune: options.prune,
    dryRun: options.dryRun,
    recordMirrorChecksum: options.writeMirrorUrl,
    ...(io.signal && { signal: io.signal }),
    segmentBytes: options.segmentSize * MIB,
    ...(options.mirrorBase !== undefined && { mirrorBase: options.mirrorBase }),
    stallMs: options.timeout * 1000,
    clock: io.clock,
    warn: (message) => io.log.warn(message),
    // The live view first: the finished copy's row is gone before its log line is printed.
    observers: [...(io.watch ? [io.watch] : []), { ended: (outcome) => logOutcome(outcome, io.log) }],
  });
  for (const pruned of report.pruned) {
    io.log.info(`${pruned.object}: ${pruned.action}${pruned.reason ? `: ${pruned.reason}` : ''}`);
  }
  const write = options.writeMirrorUrl && !options.dryRun;
  return { ...report, files: write ? writeMirrorUrls(selected, report.objects, digests, io.log) : [] };
}

function logOutcome(outcome: MirrorOutcome, log: Logger): void {
  const what = `${outcome.definition} ${outcome.version} -> ${outcome.object}`;
  const why = outcome.reason ? `: ${outcome.reason}` : '';
  if (outcome.action === 'failed') log.error(`${what}: failed${why}`);
  else log.info(`${what}: ${outcome.action}${why}`);
}

export function mirrorExitCode(result: MirrorResult): number {
  if (result.interrupted !== undefined) return interruptedExitCode(result.interrupted);
  return mirrorFailed(result) || result.files.some((file) => file.error) ? EXIT_FAILED : EXIT_OK;
}
