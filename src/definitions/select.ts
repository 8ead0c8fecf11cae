import { FilterError } from './errors.js';
import type { ImageDefinition } from './types.js';

export interface SelectOptions {
  /** A regex searched for in each image name, as OIM's `--filter` (Python's re.search). */
  filter?: string;
  /** Also take `enable: false` images, as OIM's `--force`. */
  force: boolean;
}

/** A `--filter` that selects no definition: a usage error (exit 2) as a bad pattern is. */
export class EmptySelectionError extends FilterError {
  constructor(pattern: string, reason: string) {
    super(pattern, reason);
    this.message = `--filter ${JSON.stringify(pattern)} selects nothing: ${reason}`;
  }
}

/** How many definition names a filter that selects nothing lists before "and N more". */
const NAMES_LISTED = 20;

/**
 * The definitions a run works on, in their loaded order. A `filter` that selects none of them is a mistake
 * (a typo, the wrong case): a FilterError names the definitions there are, or the disabled ones it matched.
 */
export function selectDefinitions(definitions: readonly ImageDefinition[], options: SelectOptions): ImageDefinition[] {
  const filter = options.filter === undefined ? undefined : compileFilter(options.filter);
  const matching =
    filter === undefined ? definitions : definitions.filter((definition) => filter.test(definition.name));
  const selected = matching.filter((definition) => definition.enable || options.force);
  if (options.filter !== undefined && selected.length === 0) {
    throw new EmptySelectionError(options.filter, matchesNothing(definitions, matching));
  }
  return selected;
}

/** The filter as a RegExp (no flags, so no state between tests); a FilterError names a bad pattern. */
export function compileFilter(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8: "Invalid regular expression: /(/: Unterminated group" -- keep only the reason.
    const reason = message.slice(message.lastIndexOf(': ') + 2) || message;
    throw new FilterError(pattern, reason);
  }
}

/** Why a filter selected nothing: it matched only disabled definitions, or none at all. */
function matchesNothing(definitions: readonly ImageDefinition[], matching: readonly ImageDefinition[]): string {
  if (matching.length > 0) {
    return `it matches only definitions with enable: false (${listed(matching)}); --force takes them`;
  }
  if (definitions.length === 0) return 'there are no definitions to match';
  return (
    "it matches no definition; the matching is case-sensitive and searches anywhere in the name, as Python's " +
    `re.search (the definitions: ${listed(definitions)})`
  );
}

function listed(definitions: readonly ImageDefinition[]): string {
  const names = definitions.slice(0, NAMES_LISTED).map((definition) => JSON.stringify(definition.name));
  const more = definitions.length - NAMES_LISTED;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}
