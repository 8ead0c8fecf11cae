import { naturalCompare } from './natural-sort.js';
import { toIsoDate } from './schema.js';

const EIGHT_DIGITS = /(?<!\d)\d{8}(?!\d)/g;

/**
 * The first run of exactly 8 digits in a file or folder name that is a real calendar date between 1990 and
 * 2099, as `YYYYMMDD`. The range keeps build numbers and sizes that happen to have 8 digits out.
 */
export function dateInName(name: string): string | undefined {
  for (const [digits] of name.matchAll(EIGHT_DIGITS)) {
    const year = Number(digits.slice(0, 4));
    const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
    if (year >= 1990 && year <= 2099 && toIsoDate(iso) !== undefined) return digits;
  }
  return undefined;
}

/** The date a version label tells, YYYYMMDD (`20260301`, `20260301.1`, `v20260301`, `2026-03-01`); not `9.4`. */
export function labelDay(label: string): string | undefined {
  const iso = toIsoDate(label);
  return iso === undefined ? dateInName(label) : iso.replaceAll('-', '');
}

/** A version's build day, YYYYMMDD: its `build_date`, else the date its label tells; undefined for neither. */
export function versionBuildDay(entry: { version: string; build_date?: string | undefined }): string | undefined {
  const iso = toIsoDate(entry.build_date);
  return iso === undefined ? labelDay(entry.version) : iso.replaceAll('-', '');
}

/**
 * A definition's versions oldest first, the newest last. When every label tells a date, whatever its form: by
 * build day (`dayOf`, by default `versionBuildDay`), then in natural label order within a day. Otherwise in
 * natural label order, as OIM sorts them (natsort): a label such as `1877.10` is a release number, and a
 * maintenance build of an older line (`1592.16`) may be built after a newer line's.
 */
export function inBuildOrder<T extends { version: string }>(
  entries: readonly T[],
  dayOf: (entry: T) => string | undefined = versionBuildDay,
): T[] {
  const byLabel = (a: T, b: T) => naturalCompare(a.version, b.version);
  if (!entries.every((entry) => labelDay(entry.version) !== undefined)) return [...entries].sort(byLabel);
  const days = new Map(entries.map((entry) => [entry, dayOf(entry) ?? (labelDay(entry.version) as string)]));
  const byDay = (a: T, b: T) => {
    const [x, y] = [days.get(a) as string, days.get(b) as string];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...entries].sort((a, b) => byDay(a, b) || byLabel(a, b));
}
