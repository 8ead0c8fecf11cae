import { plural } from '../util/plural.js';
import { escapeControl } from '../util/control-characters.js';
import type { DefinitionIssue } from './types.js';

/**
 * `FILE:LINE: image "NAME": FIELD.PATH: message`, leaving out the parts an issue lacks; one line, whatever
 * the file holds: control characters are shown escaped (`\u001b`).
 */
export function formatIssue(issue: DefinitionIssue): string {
  const location = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const parts = [location];
  if (issue.image !== undefined) parts.push(`image "${issue.image}"`);
  if (issue.path !== '') parts.push(issue.path);
  parts.push(issue.message);
  return escapeControl(parts.join(': '));
}

/** The image definitions could not be loaded; `issues` lists every error found in every file. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';

  constructor(
    readonly issues: DefinitionIssue[],
    /** Warnings found along the way, so a caller can still show them. */
    readonly warnings: DefinitionIssue[] = [],
  ) {
    super([`Invalid image definitions (${plural(issues.length, 'error')}):`, ...issues.map(formatIssue)].join('\n'));
  }
}

/** A `--filter` pattern that is not a valid regular expression. */
export class FilterError extends Error {
  override readonly name = 'FilterError';

  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`Invalid filter regex ${JSON.stringify(pattern)}: ${reason}`);
  }
}

/** A definition file, or the edit asked of it, has a shape the versions editor does not handle; starts `line N:`. */
export class VersionEditError extends Error {
  override readonly name = 'VersionEditError';
}
