import { describe, expect, it } from 'vitest';
import { hasOutdatedMarker, recencyNameWarning } from '../../../src/scs/outdated-names.js';

describe('hasOutdatedMarker: the last words the official recency test accepts', () => {
  it.each(['Ubuntu 24.04 old', 'Ubuntu 24.04 prev', 'Ubuntu 24.04 20250101', 'Ubuntu 24.04 2025-01-01'])(
    'accepts "%s"',
    (name) => expect(hasOutdatedMarker(name)).toBe(true),
  );

  it.each([
    'Ubuntu 24.04 (20250101)', // OIM's form
    'Ubuntu 24.04 (2025-01-01)',
    'Ubuntu 24.04 Old',
    'Ubuntu 24.04 20250230', // no such day
    'Ubuntu 24.04 2025010199',
    'Ubuntu 24.04 19700101', // the test's parse_date answers 0 (false) for the epoch
    'Ubuntu 24.04 ',
    'old',
    '20250101',
  ])('refuses "%s"', (name) => expect(hasOutdatedMarker(name)).toBe(false));

  it("reads one-digit months and days as Python's strptime does", () => {
    expect(hasOutdatedMarker('Debian 12 2025-1-5')).toBe(true);
    expect(hasOutdatedMarker('Debian 12 2025111')).toBe(true);
  });
});

describe('recencyNameWarning', () => {
  const warning =
    'Image "Ubuntu 24.04 (20250101)" seems outdated (acc. to its repl freq) but is not hidden or otherwise marked';

  it("prints the test's WARN for a visible outdated image named OIM's way", () => {
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', visibility: 'public' }, true)).toBe(warning);
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', visibility: 'community' }, true)).toBe(warning);
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)' }, true)).toBe(warning);
  });

  it('says nothing when the image is not outdated, is os_hidden, named as old, or not seen by the test', () => {
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', visibility: 'public' }, false)).toBeUndefined();
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', os_hidden: true }, true)).toBeUndefined();
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 20250101', visibility: 'public' }, true)).toBeUndefined();
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', visibility: 'private' }, true)).toBeUndefined();
    expect(recencyNameWarning({ name: 'Ubuntu 24.04 (20250101)', visibility: 'shared' }, true)).toBeUndefined();
  });

  it('warns about an image without a name', () => {
    expect(recencyNameWarning({ name: null }, true)).toContain('seems outdated');
  });
});
