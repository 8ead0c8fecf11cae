/** Exit codes: 0 all done, 1 some work failed, 2 usage, cloud or definition errors (nothing changed). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Errors that mean the input is wrong or the cloud cannot be reached: the run stops before any change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
