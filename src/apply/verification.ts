import type { GlanceImage } from '../openstack/image.js';
import type { Change } from '../plan/types.js';
import { type Verification, VERIFICATION_PROPERTY, verificationRecord } from '../definitions/verification-record.js';

/**
 * `verified`; `source verified, not end to end: Glance converted its own copy of the source to raw; …`;
 * `not verifiable: no checksum …`; with a mirror, the source used first: `from mirror, verified`.
 */
export function verificationText({ state, detail, from }: Verification): string {
  return `${from ? `from ${from}, ` : ''}${verdictText(state, detail)}`;
}

function verdictText(state: Verification['state'], detail: string): string {
  if (state === 'verified') return 'verified';
  const notEndToEnd = detail.indexOf('not end to end');
  if (state === 'source-verified') return `source verified, ${notEndToEnd < 0 ? detail : detail.slice(notEndToEnd)}`;
  return `not verifiable: ${detail}`;
}

/**
 * The image's record of how it was verified, `image_verification` (status reads it): written in the PATCH that
 * publishes it, `verified: source sha256 = the definition's; Glance's sha512 = the source's`.
 */
export function verificationChange(image: GlanceImage, verification: Verification): Change {
  const field = `properties.${VERIFICATION_PROPERTY}` as const;
  return { field, before: image[VERIFICATION_PROPERTY], after: verificationRecord(verification) };
}
