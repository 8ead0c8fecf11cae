import type { GlanceImage } from '../../openstack/image.js';

/**
 * How far an imported image's data was checked before it was published: `verified`, end to end (the source's
 * digest is the definition's checksum, and Glance's stored hash is the tool's of the same bytes); `source-verified`
 * (the first link only, `detail` says why not the second); `not-verifiable` (no checksum in the definition).
 */
export interface Verification {
  state: 'verified' | 'source-verified' | 'not-verifiable';
  /** Each link checked, or why not: "source sha256 = the definition's; Glance's sha512 = the source's". */
  detail: string;
}

/** The property that records an image's Verification, `STATE: DETAIL` (`source verified: …`), for `status`. */
export const VERIFICATION_PROPERTY = 'image_verification';

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
