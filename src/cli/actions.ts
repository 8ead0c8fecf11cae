import type { Logger } from 'pino';
import { ConnectionError } from '../openstack/errors.js';
import type { FetchLike } from '../net/fetch.js';
import type { Redactor } from '../net/redact.js';
import type { EolOptions } from './commands/eol.js';
import type { MirrorOptions } from './commands/mirror.js';
import type { ManageOptions, SourceAccess } from './commands/manage.js';
import type { UrlSigner } from '../sources/signed-url.js';
import type { LoadedSelection } from './commands/selection.js';
import type { CloudContext, GlobalOptions } from './context.js';
import { EXIT_OK } from './exit.js';
import { createRunLogger } from './logger.js';
import type { MainIo } from './main.js';
import type { ProgramOptions } from './options.js';
import { renderCheckOnly } from './render/check-only.js';
import { type Formats, stdoutFormat } from './render/format.js';
import type { ApplyObserver } from '../apply/observer.js';
import { COPIES, IMPORTS, startProgress } from './progress/index.js';

// The commands' actions, loaded by main.ts when one runs. Each imports what it works with when it runs:
// --check-only the definitions and the SCS rules, a command that talks to a cloud also the OpenStack
// client (and with it undici).

/** What every command's action gets besides the options. */
export interface Run {
  io: MainIo;
  redactor: Redactor;
  setExit: (code: number) => void;
}

type Action<O extends Formats = ProgramOptions> = (options: O, run: Run) => Promise<void>;

/**
 * With --log-format json every line on stdout is a JSON object too: the command prints its --output json
 * document, and it reaches stdout on one line (nothing, when the command prints nothing). A cron job that
 * sends both streams to one file gets JSON lines only.
 */
function machineReadable<O extends Formats = ProgramOptions>(action: Action<O>): Action<O> {
  return async (options, run) => {
    if (stdoutFormat(options) !== 'json-line') return action(options, run);
    const { oneLineJson, textSink } = await import('./sinks.js');
    const sink = textSink();
    const { io } = run;
    const captured: MainIo = {
      stdout: sink.stream,
      stderr: io.stderr,
      env: io.env,
      ...(io.fetch && { fetch: io.fetch }),
      ...(io.clock && { clock: io.clock }),
    };
    try {
      await action({ ...options, output: 'json' }, { ...run, io: captured });
    } finally {
      io.stdout.write(oneLineJson(sink.text()));
    }
  };
}

export const manageOrShare = machineReadable(async (options, run) => {
  const { io, redactor, setExit } = run;
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
    const document = renderCheckOnly(selection, options.output);
    if (document !== '') io.stdout.write(document);
    setExit(EXIT_OK);
    return;
  }
  const { mirrorSignerOf } = await import('./mirror-signing.js');
  const signer = mirrorSignerOf(options.mirrorSigning, io.env, redactor, options.s3Profile);
  const { cloudsOfRun, runOnClouds } = await import('./several-clouds.js');
  const names = cloudsOfRun(options, io.env);
  if (names.length > 1) {
    // Several live views would fight over one terminal: with several clouds, plain log lines.
    const runEach = await cloudRun(selection, { ...options, progress: false }, io, signer);
    const [ended, { renderClouds }] = await Promise.all([
      runOnClouds({ names, options, redactor, log, io }, runEach),
      import('./render/clouds.js'),
    ]);
    io.stdout.write(renderClouds(ended, options.output));
    setExit(ended.exitCode);
    return;
  }
  const runOne = await cloudRun(selection, options, io, signer);
  // On a terminal, a live view of the imports, the run's log lines above it (see progress/index.ts).
  const progress = options.dryRun ? undefined : await startProgress(options, io.stderr, IMPORTS, io.clock);
  const runLog = progress?.observer ? createRunLogger(options, redactor, progress.stderr) : log;
  try {
    await onCloud(names[0], options, io, redactor, runLog, async (context) => {
      setExit(await runOne(context, runLog, io.stdout, progress?.observer));
    });
  } finally {
    progress?.stop();
  }
});

/** The run on one cloud: the lock (not for a dry run), then manage. */
async function cloudRun(selection: LoadedSelection, options: ManageOptions, io: MainIo, signer?: UrlSigner) {
  const [{ manage }, { acquireRunLock, lockScopeOf }] = await Promise.all([
    import('./commands/manage.js'),
    import('./lock.js'),
  ]);
  const reach = io.fetch ? { fetch: io.fetch } : await productionSources();
  const sources = signer ? { ...reach, signer } : reach;
  return async (
    context: CloudContext,
    log: Logger,
    stdout: NodeJS.WritableStream,
    observer?: ApplyObserver,
  ): Promise<number> => {
    // The lock is per project at a Keystone and per Glance: the token's project id and the image endpoint
    // the catalog gives for the cloud's region, whatever clouds.yaml calls the cloud.
    const { cloud, session } = context;
    const scope = options.dryRun
      ? undefined
      : lockScopeOf(
          cloud,
          (await session.currentToken()).projectId,
          await session.endpoint('image', cloud.imageEndpointOverride),
        );
    const lock = scope === undefined ? undefined : acquireRunLock(scope);
    try {
      return (await manage(context, selection, options, log, stdout, sources, observer)).exitCode;
    } finally {
      lock?.release();
    }
  };
}

export const showInfo = machineReadable(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [{ cloudInfo }, { renderCloudInfo }] = await Promise.all([
    import('./commands/info.js'),
    import('./render/info.js'),
  ]);
  await withCloud('info', options, io, redactor, log, async (context) => {
    io.stdout.write(renderCloudInfo(await cloudInfo(context, log), options.output));
  });
  setExit(EXIT_OK);
});

export const checkCloud = machineReadable(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [{ audit, auditExitCode, logAudit }, { renderAudit }] = await Promise.all([
    import('./commands/check.js'),
    import('./render/check.js'),
  ]);
  await withCloud('check', options, io, redactor, log, async (context) => {
    const result = await audit(context, options.scsVersion, new Date());
    logAudit(result, log);
    io.stdout.write(renderAudit(result, options.output));
    setExit(auditExitCode(result));
  });
});

export const showStatus = machineReadable(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [{ status }, { loadSelection }] = await Promise.all([
    import('./commands/status.js'),
    import('./commands/selection.js'),
  ]);
  const selection = loadSelection(options, log);
  const fetch = io.fetch ?? (await sourceFetch());
  await withCloud('status', options, io, redactor, log, async (context) => {
    setExit(await status(context, selection, options, { log, stdout: io.stdout, fetch }));
  });
});

export const updateFiles = machineReadable(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [{ update, updateExitCode }, { renderUpdate }] = await Promise.all([
    import('./commands/update.js'),
    import('./render/update.js'),
  ]);
  const result = await update(options, io.fetch ?? (await sourceFetch()), log, io.clock);
  io.stdout.write(renderUpdate(result, options.output));
  setExit(updateExitCode(result));
});

export const endOfLife = machineReadable<EolOptions>(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [{ endOfLife: report, eolExitCode }, { renderEol }, { systemClock }] = await Promise.all([
    import('./commands/eol.js'),
    import('./render/eol.js'),
    import('../util/clock.js'),
  ]);
  const result = await report(options, io.fetch ?? (await sourceFetch()), log, io.clock ?? systemClock);
  io.stdout.write(renderEol(result, options.output));
  setExit(eolExitCode(result));
});

export const mirrorObjects = machineReadable<MirrorOptions>(async (options, { io, redactor, setExit }) => {
  const log = createRunLogger(options, redactor, io.stderr);
  const [mirrorCommand, { renderMirror }, { systemClock }] = await Promise.all([
    import('./commands/mirror.js'),
    import('./render/mirror.js'),
    import('../util/clock.js'),
  ]);
  const { mirror, mirrorExitCode, mirrorSelection, openStore, storeChoice } = mirrorCommand;
  const choice = storeChoice(options);
  const selection = mirrorSelection(options, log);
  const sources = io.fetch ? { fetch: io.fetch } : await productionSources();
  // On a terminal, a live view of the copies, the log lines above it (see progress/index.ts).
  const progress = await startProgress(options, io.stderr, COPIES, io.clock);
  const runLog = progress.observer ? createRunLogger(options, redactor, progress.stderr) : log;
  const watch = progress.observer && { watch: progress.observer };
  const base = { log: runLog, redactor, env: io.env, clock: io.clock ?? systemClock, sources, ...watch };
  const interrupt = new AbortController();
  const unwatch = (io.interrupts ?? (await import('./interrupts.js')).processInterrupts)((signal) => {
    runLog.warn(`${signal}: stopping; the copy under way is undone and no other started (again: at once)`);
    interrupt.abort(signal);
  });
  const run = async (cloud?: CloudContext) => {
    const mirrorIo = {
      ...base,
      signal: interrupt.signal,
      ...(cloud && { cloud }),
      ...(io.fetch && { s3Fetch: io.fetch }),
    };
    const store = openStore(choice, options, mirrorIo);
    // Overlapping runs into one container would copy twice and prune what the other writes (not a dry run).
    const { acquireMirrorLock } = await import('./lock.js');
    const lock = options.dryRun ? undefined : acquireMirrorLock(await store.urlOf(''), store.where);
    const report = await mirror(selection, store, options, mirrorIo).finally(() => lock?.release());
    // The live area goes before stdout is written: on a terminal both streams share the screen.
    progress.stop();
    io.stdout.write(renderMirror(report, options.output));
    setExit(mirrorExitCode(report));
  };
  try {
    if (choice.kind === 's3') return await run();
    await withCloud('mirror', { ...options, allClouds: false }, io, redactor, runLog, run);
  } finally {
    progress.stop();
    unwatch();
  }
});

/** How upstream indexes are read when the caller gave no fetch: undici's. */
async function sourceFetch(): Promise<FetchLike> {
  const { undiciFetchWith } = await import('../net/agent.js');
  return undiciFetchWith(undefined);
}

/** How image sources and upstream indexes are read when the caller gave no fetch: undici, image data uncopied. */
async function productionSources(): Promise<SourceAccess> {
  const { undiciDownloadWith } = await import('../sources/download.js');
  return { fetch: await sourceFetch(), download: undiciDownloadWith(undefined) };
}

/** A command that talks to one cloud: at most one --cloud, no --all-clouds. */
async function withCloud(
  command: string,
  options: GlobalOptions,
  io: MainIo,
  redactor: Redactor,
  log: Logger,
  run: (context: CloudContext) => Promise<void>,
): Promise<void> {
  const { singleCloud } = await import('./context.js');
  await onCloud(singleCloud(options, command), options, io, redactor, log, run);
}

async function onCloud(
  cloudName: string | undefined,
  options: GlobalOptions,
  io: MainIo,
  redactor: Redactor,
  log: Logger,
  run: (context: CloudContext) => Promise<void>,
): Promise<void> {
  const { connect, logRequestCounts } = await import('./context.js');
  const context = connect(cloudName, options, redactor, log, io);
  try {
    await run(context);
  } catch (error) {
    // Named with its cloud, and still a ConnectionError: its JSON `kind` is `connection` (exit 2 all the same).
    if (error instanceof ConnectionError) error.message = `cloud "${context.cloud.name}": ${error.message}`;
    throw error;
  } finally {
    logRequestCounts(context, log);
  }
}
