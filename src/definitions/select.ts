import { FilterError } from './errors.js';
import type { ImageDefinition } from './types.js';

export interface SelectOptions {
  /** A regex searched for in each image name, as OIM's `--filter` (Python's re.search). */
  filter?: string;
  /** Also take `enable: false` images, as OIM's `--force`. */
  force: boolean;
}

/** The definitions a run works on, in their loaded order. */
export function selectDefinitions(definitions: readonly ImageDefinition[], options: SelectOptions): ImageDefinition[] {
  const filter = options.filter === undefined ? undefined : compileFilter(options.filter);
  return definitions.filter(
    (definition) => (definition.enable || options.force) && (filter === undefined || filter.test(definition.name)),
  );
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
