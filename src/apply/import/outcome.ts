import type { Verification } from '../../definitions/verification-record.js';
import type { GlanceImage } from '../../openstack/image.js';

export type ImportOutcome =
  | { state: 'active'; image: GlanceImage; verification: Verification }
  | { state: 'started'; image: GlanceImage }
  /** Another run holds the version's image (creating, importing or done): this run left it alone. */
  | { state: 'other-run'; image: GlanceImage };

/** An import that failed; `leftBehind` names an image the tool could not clean up. */
export class ImportFailure extends Error {
  override readonly name = 'ImportFailure';
  constructor(
    message: string,
    readonly leftBehind?: string,
  ) {
    super(message);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
