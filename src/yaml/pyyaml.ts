import type { ScalarTag, Tags } from 'yaml';

/**
 * Scalar resolution as PyYAML's SafeLoader (YAML 1.1) does it, which is how OIM reads its files.
 * The `yaml` package's own 1.1 schema is close but more generous: it also reads `y`/`n` as booleans,
 * `1e5` as a float, `09` as an integer and `2024-8-1` as a date, all of which are strings to PyYAML.
 */

/** An unquoted date or timestamp: kept as written, so a time zone can never shift its day. */
export class YamlTimestamp {
  constructor(
    /** The scalar as written, e.g. `2024-08-19 10:00:00 +02:00`. */
    readonly text: string,
    /** The calendar date as written, `YYYY-MM-DD`. */
    readonly date: string,
    readonly hasTime: boolean,
  ) {}
}

const BOOL = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT = anyOf(
  '[-+]?0b[0-1_]+',
  '[-+]?0[0-7_]+',
  '[-+]?(?:0|[1-9][0-9_]*)',
  '[-+]?0x[0-9a-fA-F_]+',
  '[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+',
);
const FLOAT = anyOf(
  String.raw`[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?`,
  String.raw`\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?`,
  String.raw`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`,
  String.raw`[-+]?\.(?:inf|Inf|INF)`,
  String.raw`\.(?:nan|NaN|NAN)`,
);
const TIME_OF_DAY = String.raw`(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]*)?`;
const ZONE = String.raw`(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?`;
/** A date alone needs two-digit month and day; with a time, one digit will do. */
const TIMESTAMP = anyOf(
  '([0-9]{4})-([0-9]{2})-([0-9]{2})',
  `([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})${TIME_OF_DAY}${ZONE}`,
);

function anyOf(...alternatives: string[]): RegExp {
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

const BOOL_TAG = 'tag:yaml.org,2002:bool';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const REPLACED = new Set([BOOL_TAG, INT_TAG, FLOAT_TAG, TIMESTAMP_TAG]);

function splitSign(text: string): { sign: number; digits: string } {
  const cleaned = text.replace(/_/g, '');
  const sign = cleaned.startsWith('-') ? -1 : 1;
  return { sign, digits: /^[-+]/.test(cleaned) ? cleaned.slice(1) : cleaned };
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function resolveInt(text: string): number {
  const { sign, digits } = splitSign(text);
  if (digits === '0') return 0;
  if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
  if (digits.startsWith('0')) return sign * parseInt(digits, 8);
  if (digits.includes(':')) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

function resolveFloat(text: string): number {
  const { sign, digits } = splitSign(text.toLowerCase());
  if (digits === '.inf') return sign * Infinity;
  if (digits === '.nan') return NaN;
  if (digits.includes(':')) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

/**
 * `YYYY-MM-DD` if year, month and day name a real calendar date, else undefined (`2024-02-30`). The one check
 * for this: YAML timestamps, definition dates and the SCS rules' dates all use it. Years before 100 are refused
 * (Date.UTC reads them as 19xx).
 */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether hh:mm:ss is a time of day (no leap second). */
export function isClockTime(hour: number, minute: number, second: number): boolean {
  return hour <= 23 && minute <= 59 && second <= 59;
}

/** Builds the YamlTimestamp, or reports what PyYAML would refuse (e.g. `2024-02-30`). */
function resolveTimestamp(text: string, onError: (message: string) => void): YamlTimestamp | string {
  const match = TIMESTAMP.exec(text);
  if (match === null) return text;
  const hasTime = match[1] === undefined;
  const [year, month, day] = (hasTime ? match.slice(4, 7) : match.slice(1, 4)).map(Number) as [number, number, number];
  const [hour, minute, second] = (hasTime ? match.slice(7, 10).map(Number) : [0, 0, 0]) as [number, number, number];
  const iso = calendarDate(year, month, day);
  if (iso === undefined || !isClockTime(hour, minute, second)) {
    onError(`${text} is not a valid date or time`);
    return text;
  }
  return new YamlTimestamp(text, iso, hasTime);
}

const pyyamlScalarTags: ScalarTag[] = [
  { tag: BOOL_TAG, default: true, test: BOOL, resolve: (text) => TRUE.test(text) },
  { tag: FLOAT_TAG, default: true, test: FLOAT, resolve: resolveFloat },
  { tag: INT_TAG, default: true, test: INT, resolve: resolveInt },
  { tag: TIMESTAMP_TAG, default: true, test: TIMESTAMP, resolve: resolveTimestamp },
];

/** `customTags` for the `yaml` package's YAML 1.1 schema: swaps its bool/int/float/timestamp for PyYAML's. */
export function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => typeof tag === 'string' || !REPLACED.has(tag.tag));
  return [...kept, ...pyyamlScalarTags];
}
