import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { Redactor } from '../openstack/redact.js';
import { audit, auditExitCode, formatAudit, logAudit } from './commands/check.js';
import { cloudInfo, formatCloudInfo } from './commands/info.js';
import { loadSelection, manage, type ManageOptions } from './commands/manage.js';
import { share, type ShareOptions } from './commands/share.js';
import { update } from './commands/update.js';
import { undiciFetchWith, type FetchLike } from '../openstack/http.js';
import { connect, createRunLogger, logRequestCounts, type CloudContext, type GlobalOptions } from './context.js';
import { ConnectionError } from '../openstack/errors.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, UsageError } from './exit.js';
import { acquireRunLock } from './lock.js';

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** How image sources and upstream indexes are read; tests put a fake upstream here. */
  fetch?: FetchLike;
}

type ProgramOptions = GlobalOptions & ManageOptions & Partial<ShareOptions> & { yesIReallyKnowWhatIDo?: boolean };

/** Runs the CLI and returns the exit code; never calls process.exit, so it can be tested in-process. */
export async function main(
  argv: string[],
  io: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const redactor = new Redactor();
  let exitCode = EXIT_OK;
  const program = buildProgram(io, redactor, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.stderr.write(`image-manager: ${redactor.text(error instanceof Error ? error.message : String(error))}\n`);
    return exitCodeFor(error);
  }
}

function buildProgram(io: MainIo, redactor: Redactor, setExit: (code: number) => void): Command {
  const program = new Command('image-manager')
    .description(
      'Registers SCS-compliant images in OpenStack Glance and keeps them current.\n' +
        'Without a command: import, update, rotate and retire the images of the definitions (osism manage image).',
    )
    .version(packageVersion(), '-V, --version')
    .option('--cloud <name>', 'cloud in clouds.yaml (default: $OS_CLOUD, the OS_* environment, or the only cloud)')
    .option('--images <path>', 'directory of image definition files, or one file (default: the shipped images/)')
    .option('--filter <regex>', 'only images whose name matches this regular expression')
    .option('--latest', 'import only the newest version of each image', false)
    .option('--force', 'also manage definitions with enable: false', false)
    .option('--tag <tag>', 'tag that marks the images this tool manages', 'managed_by_osism')
    .option('--dry-run', 'print the plan and change nothing', false)
    .option('--no-wait', 'start imports and exit; the next run finishes them')
    .option('--hide', 'hide outdated images (visibility community, or os_hidden with --use-os-hidden)', false)
    .addOption(
      new Option('--hidden-visibility <visibility>', 'visibility --hide gives outdated images').choices(['community', 'private', 'shared']),
    )
    .option('--use-os-hidden', 'hide outdated images with the os_hidden property', false)
    .option('--deactivate', 'deactivate outdated images past their retention', false)
    .option('--delete', 'delete outdated images past their retention (uuid_validity)', false)
    .option('--yes-i-really-know-what-i-do', 'accepted for compatibility with osism manage image command lines', false)
    .option('--keep', 'never delete outdated images', false)
    .option('--parallel <n>', 'actions carried out at once', parseCount(1), 4)
    .option('--stuck-retry <n>', 'further web-download attempts when an import fails or is stuck', parseCount(0), 0)
    .option('--import-timeout <seconds>', 'how long one import may take', parseCount(1), 1800)
    .addOption(
      new Option('--prefetch <when>', 'stream the image through this tool (glance-direct)').choices(['never', 'on-stuck', 'always']).default('on-stuck'),
    )
    .option('--verify-checksum', 'stream every image through this tool and verify its checksum', false)
    .option('--update', 'find the newest upstream builds (latest_url) and import them, without writing any file', false)
    .option('--check-age', 'warn about managed images much older than their definition\'s newest build', false)
    .option('--max-age <days>', 'the age --check-age warns about', parseCount(0), 90)
    .addOption(new Option('--scs-version <version>', 'version of scs-0102 the checks apply').choices(['v1', 'v2']).default('v2'))
    .option('--check', 'validate all definition files first (default)', true)
    .option('--no-check', 'skip the SCS checks of the definitions')
    .option('--check-only', 'validate the definition files and exit', false)
    .option('--share-image <name>', 'share this image (name or id) instead of managing images')
    .addOption(new Option('--share-action <action>', 'add or remove the share').choices(['add', 'del']).default('add'))
    .option('--share-target <name>', 'project (or domain, with --share-type domain) to share with')
    .addOption(new Option('--share-type <type>', 'what --share-target names').choices(['project', 'domain']).default('project'))
    .option('--share-domain <domain>', 'domain of the --share-target project', 'default')
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(['text', 'json']).default('text'))
    .addOption(new Option('--output <format>', 'what stdout carries').choices(['text', 'json']).default('text'))
    .option('--debug', 'log every request and the request counts at the end', false)
    .option('--timeout <seconds>', 'timeout of each API request', parseCount(1), 60)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
    .action(async () => {
      const options = program.opts<ProgramOptions>();
      const log = createRunLogger(options, redactor, io.stderr);
      if (options.shareImage) {
        await withCloud(options, io, redactor, log, async (context) => {
          setExit(await share(context, { ...(options as ShareOptions), shareImage: options.shareImage as string }, log));
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
        const lock = options.dryRun ? undefined : acquireRunLock(context.cloud.name, context.cloud.auth.authUrl);
        try {
          const result = await manage(context, selection, options, log, io.stdout, io.fetch ?? undiciFetchWith(undefined));
          setExit(result.exitCode);
        } finally {
          lock?.release();
        }
      });
    });

  program
    .command('info')
    .description('authenticate, find Glance and show what the tool sees of the cloud')
    .action(async () => {
      const options = program.opts<ProgramOptions>();
      const log = createRunLogger(options, redactor, io.stderr);
      await withCloud(options, io, redactor, log, async (context) => {
        const info = await cloudInfo(context, log);
        io.stdout.write(options.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : `${formatCloudInfo(info)}\n`);
      });
      setExit(EXIT_OK);
    });

  program
    .command('check')
    .description('audit every public and community image of the cloud against scs-0102 and scs-0104 (exit 1 on FAIL)')
    .action(async () => {
      const options = program.opts<ProgramOptions>();
      const log = createRunLogger(options, redactor, io.stderr);
      await withCloud(options, io, redactor, log, async (context) => {
        const result = await audit(context, options.scsVersion, new Date());
        logAudit(result, log);
        io.stdout.write(options.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatAudit(result));
        setExit(auditExitCode(result));
      });
    });

  program
    .command('update')
    .description(
      'write the newest upstream build of each definition that names its upstream (latest_url, latest_checksum_url) into its file',
    )
    .action(async () => {
      const options = program.opts<ProgramOptions>();
      const log = createRunLogger(options, redactor, io.stderr);
      setExit(await update({ ...options, timeout: options.timeout ?? 60 }, io.fetch ?? undiciFetchWith(undefined), log, io.stdout));
    });

  return program;
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

function parseCount(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${value}"`);
    return n;
  };
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
