import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../../src/definitions/natural-sort.js';

const sorted = (values: string[]) => [...values].sort(naturalCompare);

describe('naturalCompare', () => {
  it('compares digit runs as numbers', () => {
    expect(sorted(['1877.10', '1877.5', '1592.16'])).toEqual(['1592.16', '1877.5', '1877.10']);
    expect(sorted(['20240101', '20231231'])).toEqual(['20231231', '20240101']);
    expect(sorted(['0.6.10', '0.6.3', '0.10.0'])).toEqual(['0.6.3', '0.6.10', '0.10.0']);
  });

  it('puts a shorter prefix first', () => {
    expect(sorted(['1.0.1', '1.0'])).toEqual(['1.0', '1.0.1']);
  });

  it('sorts numbers before text, so latest comes last', () => {
    expect(sorted(['latest', '20240101', '9'])).toEqual(['9', '20240101', 'latest']);
  });

  it('compares digit runs longer than a safe integer exactly', () => {
    expect(naturalCompare('123456789012345678901', '123456789012345678902')).toBeLessThan(0);
    expect(naturalCompare('99999999999999999999', '100000000000000000000')).toBeLessThan(0);
  });

  it('orders strings differing only in leading zeros deterministically', () => {
    expect(naturalCompare('1.01', '1.1')).not.toBe(0);
    expect(naturalCompare('1.01', '1.1')).toBe(-naturalCompare('1.1', '1.01'));
    expect(naturalCompare('1.10', '1.10')).toBe(0);
  });

  it('compares text runs by code unit, as natsort does', () => {
    expect(sorted(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    expect(sorted(['v2-rc1', 'v2-beta3', 'v10'])).toEqual(['v2-beta3', 'v2-rc1', 'v10']);
  });
});
