/**
 * How far an imported image's data was checked before it was published: `verified`, end to end (the source's
 * digest is the definition's checksum, and Glance's stored hash is the tool's of the same bytes); `source-verified`
 * (the first link only, `detail` says why not the second); `not-verifiable` (no checksum in the definition).
 */
export interface Verification {
  state: 'verified' | 'source-verified' | 'not-verifiable';
  /** Each link checked, or why not: "source sha256 = the definition's; Glance's sha512 = the source's". */
  detail: string;
  /** The source the data came from, when the version has a mirror as well as its `url`. */
  from?: 'mirror' | 'url';
}

/** The property the tool records an image's Verification in when it publishes it, for `status` to read. */
export const VERIFICATION_PROPERTY = 'image_verification';

const WORDS: Readonly<Record<Verification['state'], string>> = {
  verified: 'verified',
  'source-verified': 'source verified',
  'not-verifiable': 'not verifiable',
};

/**
 * The record's text: `STATE: DETAIL` (`source verified: …`), or `STATE: from SOURCE; DETAIL` (`verified: from
 * mirror; …`), within Glance's 255 characters of a property.
 */
export function verificationRecord({ state, detail, from }: Verification): string {
  return `${WORDS[state]}: ${from ? `from ${from}; ` : ''}${detail}`.slice(0, 255);
}

const FROM = /^from (mirror|url); /;

/**
 * What an image is created with in that property, until a run has verified its data and published it: an image
 * still saying so when it is active was imported by a run that did not wait (--no-wait), and is not published
 * before a run has verified it.
 */
export const VERIFICATION_PENDING = 'pending: not verified yet';

/** Whether an image's record says its data is still to be verified (see VERIFICATION_PENDING). */
export function verificationPending(text: unknown): boolean {
  return text === VERIFICATION_PENDING;
}

/** What a record says; undefined for anything else (an image published without one, or by another tool). */
export function readVerificationRecord(text: unknown): Verification | undefined {
  if (typeof text !== 'string') return undefined;
  for (const [state, words] of Object.entries(WORDS) as [Verification['state'], string][]) {
    if (!text.startsWith(`${words}: `)) continue;
    const rest = text.slice(words.length + 2);
    const from = FROM.exec(rest)?.[1] as Verification['from'];
    return { state, detail: from ? rest.slice(`from ${from}; `.length) : rest, ...(from ? { from } : {}) };
  }
  return undefined;
}
