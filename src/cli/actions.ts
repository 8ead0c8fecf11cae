import type { Logger } from 'pino';
import { ConnectionError } from '../openstack/errors.js';
import type { FetchLike } from '../openstack/http.js';
import type { Redactor } from '../openstack/redact.js';
import type { SourceAccess } from './commands/manage.js';
import type { CloudContext, GlobalOptions } from './context.js';
import { EXIT_OK, UsageError } from './exit.js';
import { createRunLogger } from './logger.js';
import type { MainIo } from './main.js';
import type { ProgramOptions } from './options.js';
import { jsonText } from './safe-text.js';

// The commands' actions, loaded by main.ts when one runs. Each imports what it works with when it runs:
// --check-only the definitions and the SCS rules, a command that talks to a cloud also the OpenStack
// client (and with it undici).

/** What every command's action gets besides the options. */
export interface Run {
  io: MainIo;
  redactor: Redactor;
  setExit: (code: number) => void;
}

export async function manageOrShare(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const { shareImage } = options;
  if (shareImage) {
    const { share } = await import('./commands/share.js');
    await withCloud('--share-image', options, io, redactor, log, async (context) => {
      setExit(await share(context, { ...options, shareImage }, log));
    });
    return;
  }
  const { loadSelection } = await import('./commands/selection.js');
  const selection = loadSelection(options, log);
  if (options.checkOnly) {
    log.info('Definitions are valid');
    setExit(EXIT_OK);
    return;
  }
  const [{ manage }, { acquireRunLock, lockScopeOf }] = await Promise.all([
    import('./commands/manage.js'),
    import('./lock.js'),
  ]);
  await withCloud('a run', options, io, redactor, log, async (context) => {
    // The lock is per project at a Keystone: the token's project id, whatever clouds.yaml calls the cloud.
    const scope = options.dryRun
      ? undefined
      : lockScopeOf(context.cloud, (await context.session.currentToken()).projectId);
    const lock = scope === undefined ? undefined : acquireRunLock(scope);
    try {
      const sources = io.fetch ? { fetch: io.fetch } : await productionSources();
      const result = await manage(context, selection, options, log, io.stdout, sources);
      setExit(result.exitCode);
    } finally {
      lock?.release();
    }
  });
}

export async function showInfo(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const { cloudInfo, formatCloudInfo } = await import('./commands/info.js');
  await withCloud('info', options, io, redactor, log, async (context) => {
    const info = await cloudInfo(context, log);
    io.stdout.write(options.output === 'json' ? `${jsonText(info)}\n` : `${formatCloudInfo(info)}\n`);
  });
  setExit(EXIT_OK);
}

export async function checkCloud(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const { audit, auditExitCode, formatAudit, logAudit } = await import('./commands/check.js');
  await withCloud('check', options, io, redactor, log, async (context) => {
    const result = await audit(context, options.scsVersion, new Date());
    logAudit(result, log);
    io.stdout.write(options.output === 'json' ? `${jsonText(result)}\n` : formatAudit(result));
    setExit(auditExitCode(result));
  });
}

export async function showStatus(options: ProgramOptions, run: Run): Promise<void> {
  const { status } = await import('./commands/status.js');
  await status(options, run);
}

export async function updateFiles(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const { update } = await import('./commands/update.js');
  setExit(await update(options, io.fetch ?? (await sourceFetch()), log, io.stdout));
}

/** How upstream indexes are read when the caller gave no fetch: undici's. */
async function sourceFetch(): Promise<FetchLike> {
  const { undiciFetchWith } = await import('../openstack/http.js');
  return undiciFetchWith(undefined);
}

/** How image sources and upstream indexes are read when the caller gave no fetch: undici, image data uncopied. */
async function productionSources(): Promise<SourceAccess> {
  const { undiciDownloadWith } = await import('../sources/download.js');
  return { fetch: await sourceFetch(), download: undiciDownloadWith(undefined) };
}

async function withCloud(
  command: string,
  options: GlobalOptions,
  io: MainIo,
  redactor: Redactor,
  log: Logger,
  run: (context: CloudContext) => Promise<void>,
): Promise<void> {
  const { connect, logRequestCounts, singleCloud } = await import('./context.js');
  const context = connect(singleCloud(options, command), options, redactor, log, io.env);
  try {
    await run(context);
  } catch (error) {
    if (error instanceof ConnectionError) throw new UsageError(`cloud "${context.cloud.name}": ${error.message}`);
    throw error;
  } finally {
    logRequestCounts(context, log);
  }
}
