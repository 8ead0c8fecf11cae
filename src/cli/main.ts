import { readFileSync } from 'node:fs';
import type { FetchLike } from '../openstack/http.js';
import { Redactor } from '../openstack/redact.js';
import type { Run } from './actions.js';
import { EXIT_OK, EXIT_USAGE } from './exit.js';
import { CommanderError, declareProgram } from './options.js';
import { safeLines } from './safe-text.js';

// What --help and --version load is this module, commander and the option declarations (options.ts), and
// a few small modules without dependencies. Each command's work (pino, the definitions and their schemas,
// the SCS rules, the OpenStack client and undici) is imported when its action runs: see actions.ts.

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** How image sources and upstream indexes are read; tests put a fake upstream here. */
  fetch?: FetchLike;
}

/** The process's streams, each made only when used: --version never makes stderr. */
const processIo: MainIo = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get env() {
    return process.env;
  },
};

/** Runs the CLI and returns the exit code; never calls process.exit, so it can be tested in-process. */
export async function main(argv: string[], io: MainIo = processIo): Promise<number> {
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
    const { errorText, exitCodeFor } = await import('./failure.js');
    io.stderr.write(`image-manager: ${errorText(error, redactor)}\n`);
    return exitCodeFor(error);
  }
}

/** The actions, loaded when one runs. */
const actions = () => import('./actions.js');

function buildProgram(run: Run) {
  const program = declareProgram(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => run.io.stdout.write(text),
      writeErr: (text) => run.io.stderr.write(safeLines(text)),
    })
    .showHelpAfterError('(run with --help for usage)')
    .action(async (options) => (await actions()).manageOrShare(options, run));
  program
    .command('info')
    .description('authenticate, find Glance and show what the tool sees of the cloud')
    .action(async (_, command) => (await actions()).showInfo(command.optsWithGlobals(), run));
  program
    .command('status')
    .description('show, per definition, what the cloud holds, what differs and what the next run would do (read-only)')
    .action(async (_, command) => (await actions()).showStatus(command.optsWithGlobals(), run));
  program
    .command('check')
    .description('audit every public and community image of the cloud against scs-0102 and scs-0104 (exit 1 on FAIL)')
    .action(async (_, command) => (await actions()).checkCloud(command.optsWithGlobals(), run));
  program
    .command('update')
    .description(
      'write the newest upstream build of each definition that names its upstream (latest_url, latest_checksum_url) ' +
        'into its file',
    )
    .action(async (_, command) => (await actions()).updateFiles(command.optsWithGlobals(), run));
  return program;
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
