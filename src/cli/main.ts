import { readFileSync } from 'node:fs';
import { CommanderError } from '@commander-js/extra-typings';
import type { Logger } from 'pino';
import { Redactor } from '../openstack/redact.js';
import { audit, auditExitCode, formatAudit, logAudit } from './commands/check.js';
import { cloudInfo, formatCloudInfo } from './commands/info.js';
import { loadSelection, manage } from './commands/manage.js';
import { share } from './commands/share.js';
import { update } from './commands/update.js';
import { undiciFetchWith, type FetchLike } from '../openstack/http.js';
import { connect, createRunLogger, logRequestCounts, type CloudContext, type GlobalOptions } from './context.js';
import { ConnectionError } from '../openstack/errors.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, UsageError } from './exit.js';
import { acquireRunLock, lockScopeOf } from './lock.js';
import { declareProgram, type ProgramOptions } from './options.js';
import { jsonText, safeLines, safeText } from './safe-text.js';
import { DefinitionError } from '../definitions/errors.js';

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** How image sources and upstream indexes are read; tests put a fake upstream here. */
  fetch?: FetchLike;
}

/** Runs the CLI and returns the exit code; never calls process.exit, so it can be tested in-process. */
export async function main(
  argv: string[],
  io: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const redactor = new Redactor();
  let exitCode = EXIT_OK;
  const program = buildProgram({
    io,
    redactor,
    setExit: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.stderr.write(`image-manager: ${errorText(error, redactor)}\n`);
    return exitCodeFor(error);
  }
}

/**
 * An error as the last line(s) of a run: redacted and escaped. Only a DefinitionError spans lines (one an
 * issue, each escaped by formatIssue); any other message is kept to one line.
 */
function errorText(error: unknown, redactor: Redactor): string {
  const message = redactor.text(error instanceof Error ? error.message : String(error));
  return error instanceof DefinitionError ? safeLines(message) : safeText(message);
}

/** What every command's action gets besides the options. */
interface Run {
  io: MainIo;
  redactor: Redactor;
  setExit: (code: number) => void;
}

function buildProgram(run: Run) {
  const program = declareProgram(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => run.io.stdout.write(text),
      writeErr: (text) => run.io.stderr.write(safeLines(text)),
    })
    .showHelpAfterError('(run with --help for usage)')
    .action((options) => manageOrShare(options, run));
  program
    .command('info')
    .description('authenticate, find Glance and show what the tool sees of the cloud')
    .action((_, command) => showInfo(command.optsWithGlobals(), run));
  program
    .command('check')
    .description('audit every public and community image of the cloud against scs-0102 and scs-0104 (exit 1 on FAIL)')
    .action((_, command) => checkCloud(command.optsWithGlobals(), run));
  program
    .command('update')
    .description(
      'write the newest upstream build of each definition that names its upstream (latest_url, latest_checksum_url) ' +
        'into its file',
    )
    .action((_, command) => updateFiles(command.optsWithGlobals(), run));
  return program;
}

async function manageOrShare(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const { shareImage } = options;
  if (shareImage) {
    await withCloud(options, io, redactor, log, async (context) => {
      setExit(await share(context, { ...options, shareImage }, log));
    });
    return;
  }
  const selection = loadSelection(options, log);
  if (options.checkOnly) {
    log.info('Definitions are valid');
    setExit(EXIT_OK);
    return;
  }
  await withCloud(options, io, redactor, log, async (context) => {
    // The lock is per project at a Keystone: the token's project id, whatever clouds.yaml calls the cloud.
    const scope = options.dryRun
      ? undefined
      : lockScopeOf(context.cloud, (await context.session.currentToken()).projectId);
    const lock = scope === undefined ? undefined : acquireRunLock(scope);
    try {
      const result = await manage(context, selection, options, log, io.stdout, io.fetch ?? undiciFetchWith(undefined));
      setExit(result.exitCode);
    } finally {
      lock?.release();
    }
  });
}

async function showInfo(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  await withCloud(options, io, redactor, log, async (context) => {
    const info = await cloudInfo(context, log);
    io.stdout.write(options.output === 'json' ? `${jsonText(info)}\n` : `${formatCloudInfo(info)}\n`);
  });
  setExit(EXIT_OK);
}

async function checkCloud(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  await withCloud(options, io, redactor, log, async (context) => {
    const result = await audit(context, options.scsVersion, new Date());
    logAudit(result, log);
    io.stdout.write(options.output === 'json' ? `${jsonText(result)}\n` : formatAudit(result));
    setExit(auditExitCode(result));
  });
}

async function updateFiles(options: ProgramOptions, { io, redactor, setExit }: Run): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  setExit(await update(options, io.fetch ?? undiciFetchWith(undefined), log, io.stdout));
}

async function withCloud(
  options: GlobalOptions,
  io: MainIo,
  redactor: Redactor,
  log: Logger,
  run: (context: CloudContext) => Promise<void>,
): Promise<void> {
  const context = connect(options, redactor, log, io.env);
  try {
    await run(context);
  } catch (error) {
    if (error instanceof ConnectionError) throw new UsageError(`cloud "${context.cloud.name}": ${error.message}`);
    throw error;
  } finally {
    logRequestCounts(context, log);
  }
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
