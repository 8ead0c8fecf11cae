import { ConfigError } from '../config/errors.js';
import { DefinitionError, FilterError } from '../definitions/errors.js';
import type { DefinitionIssue } from '../definitions/types.js';
import { AuthError, ConnectionError, HttpError } from '../openstack/errors.js';
import type { Redactor } from '../net/redact.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { CommanderError } from './options.js';
import { safeJson, safeLines, safeText } from './safe-text.js';

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
export type ErrorKind = 'usage' | 'config' | 'definition' | 'authentication' | 'connection' | 'http' | 'internal';

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

/** The formats a run asked for. */
export interface Formats {
  output: 'text' | 'json';
  logFormat: 'text' | 'json';
}

/**
 * The formats in the raw arguments, as commander would read them (`--output json`, `--output=json`, the last
 * one wins, nothing after `--`): a run that failed may have failed before its options were parsed.
 */
export function requestedFormats(args: readonly string[]): Formats {
  const formats: Formats = { output: 'text', logFormat: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag !== '--output' && flag !== '--log-format') continue;
    const value = inline ?? args[++i];
    const format = value === 'json' ? 'json' : 'text';
    if (flag === '--output') formats.output = format;
    else formats.logFormat = format;
  }
  return formats;
}

/** One log line, as --log-format json writes them, for the error that ends a run. */
export function fatalLogLine(report: ErrorReport, now = new Date()): string {
  const { message, ...rest } = report;
  return `${safeJson(JSON.stringify({ level: 'fatal', time: now.toISOString(), msg: message, ...rest }))}\n`;
}

/** The document --output json prints when a run fails: pretty, or on one line when every line must be JSON. */
export function errorDocument(report: ErrorReport, oneLine: boolean): string {
  return `${safeJson(JSON.stringify({ error: report }, null, oneLine ? undefined : 2))}\n`;
}

interface FailureIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Ends a failed run: the error on stderr (a text line, or a JSON log line with --log-format json) and, with
 * --output json or --log-format json, the error document on stdout. Returns the exit code.
 */
export function reportFailure(error: unknown, redactor: Redactor, args: readonly string[], io: FailureIo): number {
  const formats = requestedFormats(args);
  const report = errorReport(error, redactor);
  if (formats.logFormat === 'json') io.stderr.write(fatalLogLine(report));
  else if (error instanceof CommanderError) io.stderr.write(`${safeLines(report.message)}\n${USAGE_HINT}\n`);
  else io.stderr.write(`image-manager: ${errorText(error, redactor)}\n`);
  if (formats.output === 'json' || formats.logFormat === 'json') {
    io.stdout.write(errorDocument(report, formats.logFormat === 'json'));
  }
  return report.exitCode;
}

/** What follows a usage error in text: commander's showHelpAfterError, which main.ts leaves to this module. */
const USAGE_HINT = '(run with --help for usage)';
