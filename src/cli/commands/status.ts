import type { Run } from '../actions.js';
import { UsageError } from '../exit.js';
import type { ProgramOptions } from '../options.js';

/** `image-manager status`: not written yet. */
export async function status(_options: ProgramOptions, _run: Run): Promise<void> {
  throw new UsageError('status is not implemented yet');
}
