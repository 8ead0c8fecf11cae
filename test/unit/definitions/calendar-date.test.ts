import { describe, expect, it } from 'vitest';
import { toIsoDate } from '../../../src/definitions/schema.js';
import { parseBuildDate, parseDay, parseTimestamp } from '../../../src/scs/dates.js';
import { calendarDate, isClockTime } from '../../../src/yaml/pyyaml.js';

describe('calendarDate: the one check for a real calendar date', () => {
  it.each<[number, number, number, string]>([
    [2024, 1, 1, '2024-01-01'],
    [2024, 2, 29, '2024-02-29'],
    [2000, 2, 29, '2000-02-29'],
    [2024, 12, 31, '2024-12-31'],
    [1999, 8, 9, '1999-08-09'],
  ])('%i-%i-%i is %s', (year, month, day, iso) => {
    expect(calendarDate(year, month, day)).toBe(iso);
  });

  it.each<[number, number, number]>([
    [2025, 2, 29],
    [1900, 2, 29],
    [2024, 2, 30],
    [2024, 4, 31],
    [2024, 13, 1],
    [2024, 0, 10],
    [2024, 1, 0],
    [2024, 1, 32],
    // Date.UTC reads years below 100 as 19xx.
    [50, 1, 1],
  ])('%i-%i-%i is no date', (year, month, day) => {
    expect(calendarDate(year, month, day)).toBeUndefined();
  });

  it('knows a time of day', () => {
    expect(isClockTime(0, 0, 0)).toBe(true);
    expect(isClockTime(23, 59, 59)).toBe(true);
    expect(isClockTime(24, 0, 0)).toBe(false);
    expect(isClockTime(12, 60, 0)).toBe(false);
    expect(isClockTime(12, 0, 60)).toBe(false);
  });
});

describe('every date reader agrees with it', () => {
  it.each(['2024-02-29', '2024-02-30', '2025-02-29', '2024-04-31', '2024-13-01', '2024-06-00'])('%s', (text) => {
    const real = calendarDate(...(text.split('-').map(Number) as [number, number, number])) !== undefined;
    expect(toIsoDate(text) !== undefined).toBe(real);
    expect(parseDay(text) !== undefined).toBe(real);
    expect(parseBuildDate(`${text} 10:00`) !== undefined).toBe(real);
    expect(parseTimestamp(`${text}T10:00:00.5+01:00`) !== undefined).toBe(real);
  });
});
