/*
 * The date texts the SCS rules read, as UTC milliseconds; undefined for text that is no real date or time.
 */

import { calendarDate, isClockTime } from '../yaml/pyyaml.js';

const DAY_MS = 86_400_000;

function utc(parts: RegExpExecArray | null): number | undefined {
  if (parts === null) return undefined;
  const numbers = parts.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = numbers;
  if (calendarDate(year, month, day) === undefined || !isClockTime(hour, minute, second)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `YYYY-MM-DD`. */
export function parseDay(text: string): number | undefined {
  return utc(/^(\d{4})-(\d{2})-(\d{2})$/.exec(text));
}

/** image_build_date: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm[:ss]` or `YYYY-MM-DDThh:mm:ssZ`. */
export function parseBuildDate(text: string): number | undefined {
  return (
    parseDay(text) ??
    utc(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)) ??
    utc(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text))
  );
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** created_at as Glance writes it (ISO 8601, maybe with fractions or an offset). */
export function parseTimestamp(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const plain = parseBuildDate(text);
  if (plain !== undefined) return plain;
  // The fields are checked here because Date.parse rolls 02-30 over into March.
  if (utc(ISO_TIMESTAMP.exec(text)) === undefined) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

export function addDays(t: number, days: number): number {
  return t + days * DAY_MS;
}

/** `YYYY-MM-DD`. */
export function formatDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
