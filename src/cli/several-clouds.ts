import os from 'node:os';
import type { Logger } from 'pino';
import { listClouds } from '../config/index.js';
import type { Redactor } from '../net/redact.js';
import { type ClientIo, type CloudContext, connect, type GlobalOptions, logRequestCounts } from './context.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './exit.js';
import { type ErrorReport, errorReport } from './failure.js';
import { textSink } from './sinks.js';

// A run on several clouds (--cloud a --cloud b, --all-clouds): the definitions, loaded and checked once, reach
// every cloud at once; each cloud has its own lock, log prefix and section in the report, and one that fails
// does not stop the others.

/**
 * The clouds a run reaches: every cloud in clouds.yaml with --all-clouds, else each --cloud once, in the order
 * given. Empty: the one cloud $OS_CLOUD, the OS_* environment or a lone cloud in clouds.yaml stands for.
 */
export function cloudsOfRun(options: Pick<GlobalOptions, 'cloud' | 'allClouds'>, env: NodeJS.ProcessEnv): string[] {
  if (!options.allClouds) return [...new Set(options.cloud)];
  if (options.cloud.length > 0) throw new UsageError('give --cloud or --all-clouds, not both');
  const names = listClouds({ env, cwd: process.cwd(), homeDir: os.homedir() });
  if (names.length === 0) throw new UsageError('--all-clouds: no cloud is defined in clouds.yaml');
  return names;
}

/**
 * The exit code of a run on several clouds: the worst of them, except that a cloud that could not be reached
 * or used (2: nothing changed there) counts as failed (1) when another cloud was worked on, since 2 promises
 * that nothing changed anywhere. 2 only when every cloud ended so.
 */
export function worstExitCode(codes: readonly number[]): number {
  if (codes.every((code) => code === EXIT_USAGE)) return EXIT_USAGE;
  return Math.max(...codes.map((code) => (code === EXIT_USAGE ? EXIT_FAILED : code)));
}

/** How one cloud's part of the run ended: what its run printed, or why it failed. */
export interface CloudOutcome {
  cloud: string;
  exitCode: number;
  /** What the run on this cloud wrote for stdout: its plan, report or JSON document. */
  output: string;
  error?: ErrorReport;
}

/** What runs the definitions on one cloud (the lock included) and returns its exit code. */
export type CloudRun = (context: CloudContext, log: Logger, stdout: NodeJS.WritableStream) => Promise<number>;

export interface SeveralClouds {
  names: string[];
  options: GlobalOptions;
  redactor: Redactor;
  log: Logger;
  io: ClientIo;
}

/** How the run on several clouds ended: each cloud's outcome, and the exit code of them all. */
export interface CloudsOutcome {
  outcomes: CloudOutcome[];
  exitCode: number;
}

/**
 * Runs `runOne` on every cloud at once. Every cloud's configuration is read first: a cloud that is not
 * defined, or defined wrong, stops the run before any request.
 */
export async function runOnClouds(
  { names, options, redactor, log, io }: SeveralClouds,
  runOne: CloudRun,
): Promise<CloudsOutcome> {
  const clouds = names.map((name) => {
    const cloudLog = log.child({ cloud: name });
    return { name, log: cloudLog, context: connect(name, options, redactor, cloudLog, io) };
  });
  log.info(`Running on ${clouds.length} clouds at once: ${names.join(', ')}`);
  const outcomes = await Promise.all(
    clouds.map(({ name, log: cloudLog, context }) => outcomeOf(name, context, cloudLog, redactor, runOne)),
  );
  const exitCode = worstExitCode(outcomes.map((outcome) => outcome.exitCode));
  const summary = outcomes.map(({ cloud, exitCode: code }) => `${cloud} ${code === 0 ? 'done' : `exit ${code}`}`);
  (exitCode === 0 ? log.info.bind(log) : log.error.bind(log))(`Clouds: ${summary.join(', ')}`);
  return { outcomes, exitCode };
}

async function outcomeOf(
  cloud: string,
  context: CloudContext,
  log: Logger,
  redactor: Redactor,
  runOne: CloudRun,
): Promise<CloudOutcome> {
  const sink = textSink();
  try {
    const exitCode = await runOne(context, log, sink.stream);
    return { cloud, exitCode, output: sink.text() };
  } catch (error) {
    const report = errorReport(error, redactor);
    const named = report.message.includes(`"${cloud}"`) ? report.message : `cloud "${cloud}": ${report.message}`;
    log.error(named);
    return { cloud, exitCode: report.exitCode, output: sink.text(), error: { ...report, message: named } };
  } finally {
    logRequestCounts(context, log);
  }
}
