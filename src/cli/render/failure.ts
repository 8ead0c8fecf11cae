import type { ErrorReport } from '../failure.js';
import { safeJson, safeLines } from '../safe-text.js';
import { type Formats, render, stdoutFormat } from './format.js';

/** The error that ends a run. */
export interface Failure {
  report: ErrorReport;
  /** The message as a text line shows it (errorText). */
  text: string;
  /** Commander refused the arguments: the text says so as commander would, with the hint to run --help. */
  usage: boolean;
}

/**
 * A failed run's last words: on stderr the error (a text line, or a JSON log line with --log-format json); on
 * stdout, when it carries JSON, the error document.
 */
export function renderFailure(failure: Failure, formats: Formats): { stderr: string; stdout: string } {
  const { report } = failure;
  return {
    stderr: render(formats.logFormat, { json: () => fatalLogLine(report), text: () => failureText(failure) }),
    stdout: render(stdoutFormat(formats), {
      text: () => '',
      json: () => errorDocument(report, false),
      'json-line': () => errorDocument(report, true),
    }),
  };
}

function failureText({ report, text, usage }: Failure): string {
  return usage ? `${safeLines(report.message)}\n${USAGE_HINT}\n` : `image-manager: ${text}\n`;
}

/** What follows a usage error in text: commander's showHelpAfterError, which main.ts leaves to this module. */
const USAGE_HINT = '(run with --help for usage)';

/** One log line, as --log-format json writes them, for the error that ends a run. */
export function fatalLogLine(report: ErrorReport, now = new Date()): string {
  const { message, ...rest } = report;
  return `${safeJson(JSON.stringify({ level: 'fatal', time: now.toISOString(), msg: message, ...rest }))}\n`;
}

/** The document --output json prints when a run fails: pretty, or on one line when every line must be JSON. */
function errorDocument(report: ErrorReport, oneLine: boolean): string {
  return `${safeJson(JSON.stringify({ error: report }, null, oneLine ? undefined : 2))}\n`;
}
