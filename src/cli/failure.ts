import { ConfigError } from '../config/errors.js';
import { DefinitionError, FilterError } from '../definitions/errors.js';
import { AuthError, ConnectionError, HttpError } from '../openstack/errors.js';
import type { Redactor } from '../openstack/redact.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './exit.js';
import { safeLines, safeText } from './safe-text.js';

// How a run that failed ends: loaded only then (main.ts), with the error classes it tells apart.

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof AuthError) return EXIT_USAGE;
  if (error instanceof DefinitionError || error instanceof FilterError) return EXIT_USAGE;
  if (error instanceof ConnectionError) return EXIT_USAGE;
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
