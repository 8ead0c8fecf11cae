/**
 * endoflife.date's API could not be read or did not answer in its format: the report would be built on
 * nothing, so the command stops (exit 2; it changes nothing either way). The message names the URL.
 */
export class EndOfLifeDataError extends Error {
  override readonly name = 'EndOfLifeDataError';
}
