import { readFileSync } from 'node:fs';
import type { Interrupts } from './interrupts.js';
import type { FetchLike } from '../net/fetch.js';
import { Redactor } from '../net/redact.js';
import type { Clock } from '../util/clock.js';
import type { Run } from './actions.js';
import { EXIT_OK } from './exit.js';
import {
  type Command,
  CommanderError,
  declareCheck,
  declareEol,
  declareHelp,
  declareInfo,
  declareMirror,
  declareProgram,
  declareStatus,
  declareUpdate,
} from './options.js';
import type { Formats } from './render/format.js';
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
  /** The time of the OpenStack client's timeouts and retry pauses; tests put a fake clock here. */
  clock?: Clock;
  /** SIGINT and SIGTERM (`mirror` undoes its copy under way); default the process's, tests send their own. */
  interrupts?: Interrupts;
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
  let parsed: Formats | undefined;
  const program = buildProgram({
    io,
    redactor,
    setExit: (code) => {
      exitCode = code;
    },
  }).hook('preAction', (_, command) => {
    const { output, logFormat } = command.optsWithGlobals() as Partial<Formats>;
    parsed = { output: output ?? 'text', logFormat: logFormat ?? 'text' };
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_OK; // --help, --version
    const [{ reportFailure }, { requestedFormats }] = await Promise.all([
      import('./failure.js'),
      import('./render/format.js'),
    ]);
    // Usage errors too, as text, a JSON log line or a JSON document. Arguments commander refused are read as
    // written: it may have stopped before it reached --output or --log-format.
    const chosen = error instanceof CommanderError ? undefined : parsed;
    return reportFailure(error, redactor, chosen ?? requestedFormats(argv), io);
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
      // main()'s catch block reports usage errors, with the hint to run --help, in the format asked for.
      outputError: () => undefined,
    });
  // Declared before the program's own settings below, which the commands must not inherit.
  declareInfo(program).action(async (_, command) => (await actions()).showInfo(command.optsWithGlobals(), run));
  declareStatus(program).action(async (_, command) => (await actions()).showStatus(command.optsWithGlobals(), run));
  declareCheck(program).action(async (_, command) => (await actions()).checkCloud(command.optsWithGlobals(), run));
  declareUpdate(program).action(async (_, command) => (await actions()).updateFiles(command.optsWithGlobals(), run));
  declareEol(program).action(async (_, command) => (await actions()).endOfLife(command.optsWithGlobals(), run));
  declareMirror(program).action(async (_, command) => (await actions()).mirrorObjects(command.optsWithGlobals(), run));
  declareHelp(program).action((name) => showHelpOf(program, name));
  return program
    .hook('preSubcommand', (_, command) => refuseOptionsNotOf(program, command))
    .allowExcessArguments()
    .action(async (options, command) => {
      if (command.args.length > 0) refuseUnknownCommand(command);
      await (await actions()).manageOrShare(options, run);
    });
}

type AnyCommand = Pick<InstanceType<typeof Command>, 'args' | 'error' | 'name' | 'options'> & {
  getOptionValue(key: string): unknown;
  getOptionValueSource(key: string): string | undefined;
};

/** `image-manager help [command]`: the help of the program, or of one command as its --help shows it. */
function showHelpOf(program: AnyCommand & Pick<InstanceType<typeof Command>, 'commands' | 'help'>, name?: string) {
  if (name === undefined) program.help();
  const command = program.commands.find((candidate) => candidate.name() === name);
  if (command !== undefined) command.help();
  program.args = [name];
  refuseUnknownCommand(program);
}

/**
 * `image-manager chek`: the program takes no arguments, so commander would call it one too many; it is a
 * command that does not exist. commander's own message, with its "(Did you mean check?)".
 */
function refuseUnknownCommand(program: AnyCommand): never {
  (program as AnyCommand & { unknownCommand(): never }).unknownCommand();
  throw new Error('unreachable: commander.unknownCommand returns only by throwing');
}

/**
 * The program takes every option wherever it stands (see options.ts); one given to a command that does not
 * declare it (`check --dry-run`) would silently do nothing, so it is refused.
 */
function refuseOptionsNotOf(program: AnyCommand, command: AnyCommand): void {
  const own = new Set(command.options.map((option) => option.attributeName()));
  const given = program.options.filter(
    (option) => !own.has(option.attributeName()) && program.getOptionValueSource(option.attributeName()) === 'cli',
  );
  // Of a pair (--check, --no-check), the one given: the negated one set the value to false.
  const refused = given.find((option) => option.negate === (program.getOptionValue(option.attributeName()) === false));
  const first = refused ?? given[0];
  if (first === undefined) return;
  const name = command.name();
  command.error(
    `error: option '${first.long ?? first.flags}' does not apply to ${name} (see image-manager ${name} --help)`,
    {
      code: 'commander.unknownOption',
    },
  );
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
