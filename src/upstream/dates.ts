import { toIsoDate } from '../definitions/schema.js';

/**
 * The last day a build may be dated, YYYYMMDD: the UTC day after `now` (a day of slack for time zones). A
 * build dated later is from the future: taken, it would hold every real build after it off as "older".
 */
export function latestBuildDay(now: number): string {
  return new Date(now + 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `20260526` → `2026-05-26`; throws on anything but 8 digits (a caller's mistake, not upstream's). */
export function ymdToIsoDate(ymd: string): string {
  if (!/^\d{8}$/.test(ymd)) throw new RangeError(`not a YYYYMMDD date: ${JSON.stringify(ymd)}`);
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const ZONE = '(?:gmt|utc)';

// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept.
const IMF_FIXDATE = new RegExp(`^[a-z]{3},\\s+(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})\\s+${TIME}\\s+${ZONE}$`, 'i');
const RFC_850 = new RegExp(`^[a-z]{6,9},\\s+(\\d{1,2})-${MONTH}-(\\d{2})\\s+${TIME}\\s+${ZONE}$`, 'i');
const ASCTIME = new RegExp(`^[a-z]{3}\\s+${MONTH}\\s+(\\d{1,2})\\s+${TIME}\\s+(\\d{4})$`, 'i');

/** The UTC day of an HTTP date (a `Last-Modified` value) as `YYYYMMDD`; undefined if it is none. */
export function httpDateToYmd(value: string): string | undefined {
  const text = value.trim();
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) return ymdOf(match[3], match[2], match[1], match.slice(4, 7));
  match = RFC_850.exec(text);
  if (match !== null) {
    // RFC 9110 reads a two-digit year by a sliding 50-year window; a fixed pivot keeps this pure.
    const yy = Number(match[3]);
    return ymdOf(String(yy >= 70 ? 1900 + yy : 2000 + yy), match[2], match[1], match.slice(4, 7));
  }
  match = ASCTIME.exec(text);
  if (match !== null) return ymdOf(match[6], match[1], match[2], match.slice(3, 6));
  return undefined;
}

function ymdOf(
  year: string | undefined,
  monthName: string | undefined,
  day: string | undefined,
  time: (string | undefined)[],
): string | undefined {
  const [hour, minute, second] = time.map(Number) as [number, number, number];
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase()) + 1;
  const iso = toIsoDate(`${year}-${month}-${day}`);
  return iso === undefined ? undefined : iso.replaceAll('-', '');
}
