import { ConfigError } from '../config/errors.js';
import { DefinitionError, FilterError } from '../definitions/errors.js';
import { EndOfLifeDataError } from '../eol/errors.js';
import type { DefinitionIssue } from '../definitions/types.js';
import { AuthError, ConnectionError, HttpError } from '../openstack/errors.js';
import type { Redactor } from '../net/redact.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { CommanderError } from './options.js';
import type { MainIo } from './main.js';
import { renderFailure } from './render/failure.js';
import type { Formats } from './render/format.js';
import { safeLines, safeText } from './safe-text.js';

// How a run that failed ends: loaded only then (main.ts), with the error classes it tells apart.

/** What each exit code promises, in words: JSON errors carry it, so that a program need not know the table. */
export const EXIT_MEANINGS: Readonly<Record<number, string>> = {
  [EXIT_OK]: 'everything planned was done (or deferred by --no-wait)',
  [EXIT_FAILED]: 'some work failed: the rest proceeded',
  [EXIT_USAGE]: 'usage, cloud or definition error: nothing changed',
};

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof AuthError) return EXIT_USAGE;
  if (error instanceof DefinitionError || error instanceof FilterError) return EXIT_USAGE;
  if (error instanceof ConnectionError || error instanceof CommanderError) return EXIT_USAGE;
  if (error instanceof EndOfLifeDataError) return EXIT_USAGE;
  if (error instanceof HttpError) return EXIT_FAILED;
  return EXIT_FAILED;
}

/**
 * An error as the last line(s) of a run: redacted and escaped. Only a DefinitionError spans lines (one an
 * issue, each escaped by formatIssue); any other message is kept to one line.
 */
export function errorText(error: unknown, redactor: Redactor): string {
  const message = redactor.text(error instanceof Error ? error.message : String(error));
  return error instanceof DefinitionError ? safeLines(message) : safeText(message);
}

/** What kind of error ended a run, for programs: the same words as the README's table. */
export type ErrorKind =
  | 'usage'
  | 'config'
  | 'definition'
  | 'authentication'
  | 'connection'
  | 'http'
  | 'upstream'
  | 'internal';

/** The `error` member of a JSON document and of a JSON log line (README, "Machine-readable output"). */
export interface ErrorReport {
  message: string;
  exitCode: number;
  meaning: string;
  kind: ErrorKind;
  /** A definition error's problems, one per issue. */
  issues?: DefinitionIssue[];
}

function kindOf(error: unknown): ErrorKind {
  if (error instanceof UsageError || error instanceof CommanderError) return 'usage';
  if (error instanceof ConfigError) return 'config';
  if (error instanceof DefinitionError || error instanceof FilterError) return 'definition';
  if (error instanceof AuthError) return 'authentication';
  if (error instanceof ConnectionError) return 'connection';
  if (error instanceof HttpError) return 'http';
  if (error instanceof EndOfLifeDataError) return 'upstream';
  return 'internal';
}

/** An error as programs read it: redacted, with its exit code and what that code promises. */
export function errorReport(error: unknown, redactor: Redactor): ErrorReport {
  const exitCode = exitCodeFor(error);
  const message = redactor.text(error instanceof Error ? error.message : String(error));
  const report: ErrorReport = { message, exitCode, meaning: EXIT_MEANINGS[exitCode] ?? '', kind: kindOf(error) };
  if (error instanceof DefinitionError) report.issues = redactor.value(error.issues) as DefinitionIssue[];
  return report;
}

/**
 * Ends a failed run: the error on stderr and, when stdout carries JSON, the error document there, in the
 * formats the run asked for. Returns the exit code.
 */
export function reportFailure(
  error: unknown,
  redactor: Redactor,
  formats: Formats,
  io: Pick<MainIo, 'stdout' | 'stderr'>,
): number {
  const report = errorReport(error, redactor);
  const failure = { report, text: errorText(error, redactor), usage: error instanceof CommanderError };
  const { stderr, stdout } = renderFailure(failure, formats);
  io.stderr.write(stderr);
  if (stdout !== '') io.stdout.write(stdout);
  return report.exitCode;
}
