import { ConfigError } from '../config/errors.js';
import { DefinitionError, FilterError } from '../definitions/errors.js';
import { AuthError, ConnectionError, HttpError } from '../openstack/errors.js';

/** Exit codes: 0 all done, 1 some work failed, 2 usage, cloud or definition errors (nothing changed). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Errors that mean the input is wrong or the cloud cannot be reached: the run stops before any change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof AuthError) return EXIT_USAGE;
  if (error instanceof DefinitionError || error instanceof FilterError) return EXIT_USAGE;
  if (error instanceof ConnectionError) return EXIT_USAGE;
  if (error instanceof HttpError) return EXIT_FAILED;
  return EXIT_FAILED;
}
