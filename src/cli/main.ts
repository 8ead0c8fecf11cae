import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { Redactor } from '../openstack/redact.js';
import { cloudInfo, formatCloudInfo } from './commands/info.js';
import { connect, createRunLogger, logRequestCounts, type GlobalOptions } from './context.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit.js';

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI and returns the exit code; never calls process.exit, so it can be tested in-process. */
export async function main(argv: string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const redactor = new Redactor();
  let exitCode = EXIT_OK;
  const program = buildProgram(io, redactor, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`image-manager: ${redactor.text(error instanceof Error ? error.message : String(error))}\n`);
    return exitCodeFor(error);
  }
}

function buildProgram(io: MainIo, redactor: Redactor, setExit: (code: number) => void): Command {
  const program = new Command('image-manager')
    .description('Registers SCS-compliant images in OpenStack Glance and keeps them current.')
    .option('--cloud <name>', 'cloud in clouds.yaml (default $OS_CLOUD, the OS_* environment, or the only cloud)')
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(['text', 'json']).default('text'))
    .addOption(new Option('--output <format>', 'what stdout carries').choices(['text', 'json']).default('text'))
    .option('--debug', 'log every request and the request counts at the end', false)
    .option('--timeout <seconds>', 'timeout of each API request', parsePositive, 60)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('info')
    .description('authenticate, find Glance and show what the tool sees of the cloud')
    .action(async () => {
      const options = program.opts<GlobalOptions>();
      await withCloud(options, io, redactor, async (context, log) => {
        const info = await cloudInfo(context, log);
        io.stdout.write(options.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : `${formatCloudInfo(info)}\n`);
      });
      setExit(EXIT_OK);
    });

  return program;
}

async function withCloud(
  options: GlobalOptions,
  io: MainIo,
  redactor: Redactor,
  run: (context: ReturnType<typeof connect>, log: Logger) => Promise<void>,
): Promise<void> {
  const log = createRunLogger(options, redactor, io.stderr);
  const context = connect(options, redactor, log, io.env);
  try {
    await run(context, log);
  } finally {
    logRequestCounts(context, log);
  }
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}
