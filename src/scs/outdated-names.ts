/*
 * How the official scs-0102 recency test (SovereignCloudStack/standards, Tests/iaas/scs_0102_image_metadata,
 * is_outdated and compute_scs_0102_image_recency) reads the name of an outdated image. It looks at public and
 * community images only; an outdated one that is not os_hidden must carry a marker as the last word of its name
 * (the text after the last space): `old`, `prev`, or a date that Python's strptime reads as `%Y-%m-%d` or `%Y%m%d`.
 * OIM's `NAME (20250101)` has the date in parentheses, which strptime does not read: that image draws the WARN.
 */

const OUTDATED_MARKERS: readonly string[] = ['old', 'prev'];

/* Python's strptime patterns for %Y, %m and %d: the month and day may have one digit ("2025-1-5", "2025111"). */
const MONTH = '(1[0-2]|0[1-9]|[1-9])';
const DAY = '(3[01]|[12]\\d|0[1-9]|[1-9])';
const MARKER_DATE_FORMATS: readonly RegExp[] = [
  new RegExp(`^(\\d{4})-${MONTH}-${DAY}`),
  new RegExp(`^(\\d{4})${MONTH}${DAY}`),
];

/** Whether strptime reads `word` with one of the marker formats: it takes the first match, which must be all. */
function isMarkerDate(word: string): boolean {
  return MARKER_DATE_FORMATS.some((format) => {
    const parts = format.exec(word);
    if (parts === null || parts[0].length !== word.length) return false;
    const [year, month, day] = parts.slice(1).map(Number) as [number, number, number];
    // The test's parse_date answers 0 (no date) for the epoch itself.
    const epoch = year === 1970 && month === 1 && day === 1;
    return year >= 1 && !epoch && isCalendarDay(year, month, day);
  });
}

/** Date.UTC would read years 0-99 as 1900-1999; setUTCFullYear takes them as written. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The last word of a name as the test splits it (`rsplit(" ", 1)`); undefined for a name without a space. */
function lastWord(name: string): string | undefined {
  const space = name.lastIndexOf(' ');
  return space < 0 ? undefined : name.slice(space + 1);
}

/** Whether a name's last word marks its image as outdated for the test: `old`, `prev`, `YYYYMMDD`, `YYYY-MM-DD`. */
export function hasOutdatedMarker(name: string): boolean {
  const word = lastWord(name);
  return word !== undefined && (OUTDATED_MARKERS.includes(word) || isMarkerDate(word));
}

/** Whether the test looks at the image at all: it lists public and community images (absent counts as public). */
function seenByTest(visibility: string | undefined): boolean {
  return visibility === undefined || visibility === 'public' || visibility === 'community';
}

/**
 * The WARN the official recency test prints for an outdated image that is neither os_hidden nor named as old;
 * undefined when it prints none. `isOutdated` must be the test's own notion, which is not "an older version":
 * past build date + 1.1 × replace_frequency while its provided_until date still lies ahead (see
 * `isOutdatedForRecency` in ./recency.ts). An image the tool rotated out is often not outdated in that sense yet.
 */
export function recencyNameWarning(
  image: { name?: string | null; visibility?: string; os_hidden?: boolean },
  isOutdated: boolean,
): string | undefined {
  if (!isOutdated || image.os_hidden === true || !seenByTest(image.visibility)) return undefined;
  const name = image.name ?? '';
  if (hasOutdatedMarker(name)) return undefined;
  return `Image "${name}" seems outdated (acc. to its repl freq) but is not hidden or otherwise marked`;
}
