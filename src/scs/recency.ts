/*
 * scs-0102's recency rule: an image is outdated 1.1 × replace_frequency after its build. An outdated image may
 * stay while its provided_until promise holds, if a current image replaces it and it is hidden or named as old.
 */

import type { REPLACE_FREQUENCIES } from '../definitions/schema.js';
import { addDays, formatDay, parseBuildDate, parseTimestamp } from './dates.js';
import { fail, pass, warn, type Outcome } from './findings.js';
import { isHidden, type ImageSubject } from './image-subject.js';
import { hasOutdatedMarker } from './outdated-names.js';

/** replace_frequency -> days until a replacement is due; null: never outdated. */
const REPLACE_FREQUENCY_DAYS: Readonly<Record<(typeof REPLACE_FREQUENCIES)[number], number | null>> = {
  yearly: 365,
  quarterly: 92,
  monthly: 31,
  weekly: 7,
  daily: 1,
  critical_bug: null,
  never: null,
};
/** An image is outdated this many replace_frequency periods after its build date. */
const RECENCY_TOLERANCE = 1.1;

/** When an image is due for replacement: its build (or registration) plus 1.1 × replace_frequency. */
type Replacement = { due: false; why: string } | { due: true; at: number; age: string };

type Age =
  | { kind: 'current'; why: string }
  /** Outdated while its provided_until promise holds; `marked`: hidden, or its name's last word marks it as old. */
  | { kind: 'outdated'; marked: boolean; why: string }
  /** Outdated, and provided_until is missing or no date: nobody can tell whether the promise still holds. */
  | { kind: 'no-until'; why: string };

export function replacementDue(image: ImageSubject): Replacement {
  const frequency = image.properties.replace_frequency;
  if (frequency === undefined) return { due: false, why: 'no replace_frequency, recency not judged' };
  const days = (REPLACE_FREQUENCY_DAYS as Readonly<Record<string, number | null>>)[frequency];
  if (days === undefined) return { due: false, why: `replace_frequency "${frequency}" unknown, recency not judged` };
  if (days === null) return { due: false, why: `replace_frequency=${frequency}: never due for replacement` };
  const buildDate = image.properties.image_build_date;
  const built = (buildDate === undefined ? undefined : parseBuildDate(buildDate)) ?? parseTimestamp(image.created_at);
  if (built === undefined) return { due: false, why: 'no build date or registration date, recency not judged' };
  const at = addDays(built, RECENCY_TOLERANCE * days);
  const age = `built ${formatDay(built)}, replace_frequency=${frequency}, replacement due ${formatDay(at)}`;
  return { due: true, at, age };
}

function assessAge(image: ImageSubject, now: number): Age {
  const replacement = replacementDue(image);
  if (!replacement.due) return { kind: 'current', why: replacement.why };
  const age = replacement.age;
  if (now <= replacement.at) return { kind: 'current', why: `current (${age})` };
  const until = image.properties.provided_until;
  if (until === 'none' || until === 'notice') {
    return { kind: 'current', why: `outdated (${age}), but provided_until=${until} makes no promise` };
  }
  const untilDate = until === undefined ? undefined : parseBuildDate(until);
  if (untilDate === undefined) {
    const what = until === undefined ? 'is not set' : `"${until}" is no date`;
    return { kind: 'no-until', why: `outdated (${age}) and provided_until ${what}` };
  }
  if (now > untilDate) {
    return { kind: 'current', why: `outdated (${age}), but past provided_until ${until}: no promise any more` };
  }
  const marked = isHidden(image) || hasOutdatedMarker(image.name);
  return { kind: 'outdated', marked, why: `outdated (${age}; provided_until ${until})` };
}

/**
 * The official test's notion of outdated (its is_outdated answering 1 or 2): past build date + 1.1 ×
 * replace_frequency while a provided_until date still lies ahead. Only such an image needs a hidden flag or a
 * marked name; pass this to recencyNameWarning.
 */
export function isOutdatedForRecency(image: ImageSubject, now: number): boolean {
  return assessAge(image, now).kind === 'outdated';
}

/** The name an outdated image's replacement carries: its own name less the last word. */
function replacementName(name: string): string | undefined {
  const space = name.lastIndexOf(' ');
  if (space < 0) return undefined;
  const short = name.slice(0, space).trimEnd();
  return short === '' ? undefined : short;
}

/** `byName`: the images checked together; a current one named like `image` less its last word replaces it. */
export function checkRecency(
  image: ImageSubject,
  byName: ReadonlyMap<string, readonly ImageSubject[]>,
  now: number,
): Outcome {
  const age = assessAge(image, now);
  if (age.kind === 'current') return pass(age.why);
  if (age.kind === 'no-until') return fail(age.why);
  const short = replacementName(image.name);
  const candidates = short === undefined ? [] : (byName.get(short) ?? []);
  if (short === undefined || !candidates.some((other) => assessAge(other, now).kind === 'current')) {
    return fail(`${age.why}, and no current image${short === undefined ? '' : ` named "${short}"`} replaces it`);
  }
  return age.marked
    ? pass(`${age.why}; replaced by "${short}"`)
    : warn(
        `${age.why}; replaced by "${short}", but neither hidden nor named as old ` +
          '(last word old, prev, YYYYMMDD or YYYY-MM-DD)',
      );
}
