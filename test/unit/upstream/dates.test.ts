import { describe, expect, it } from 'vitest';
import { httpDateToYmd, ymdToIsoDate } from '../../../src/upstream/dates.js';

describe('httpDateToYmd', () => {
  it('reads an IMF-fixdate', () => {
    expect(httpDateToYmd('Sun, 06 Nov 1994 08:49:37 GMT')).toBe('19941106');
    expect(httpDateToYmd('Tue, 26 May 2026 23:59:59 GMT')).toBe('20260526');
    expect(httpDateToYmd('  Tue, 26 May 2026 00:00:00 GMT\r\n')).toBe('20260526');
  });

  it('reads the obsolete RFC 850 and asctime forms', () => {
    expect(httpDateToYmd('Sunday, 06-Nov-94 08:49:37 GMT')).toBe('19941106');
    expect(httpDateToYmd('Tuesday, 26-May-26 08:49:37 GMT')).toBe('20260526');
    expect(httpDateToYmd('Sun Nov  6 08:49:37 1994')).toBe('19941106');
  });

  it('gives undefined for what is no HTTP date', () => {
    expect(httpDateToYmd('')).toBeUndefined();
    expect(httpDateToYmd('yesterday')).toBeUndefined();
    expect(httpDateToYmd('2026-05-26T08:49:37Z')).toBeUndefined();
    expect(httpDateToYmd('Sun, 06 Nov 1994 08:49:37 +0200')).toBeUndefined();
    expect(httpDateToYmd('Mon, 31 Feb 2026 08:49:37 GMT')).toBeUndefined();
    expect(httpDateToYmd('Mon, 02 Feb 2026 24:00:00 GMT')).toBeUndefined();
    expect(httpDateToYmd('Mon, 02 Foo 2026 08:00:00 GMT')).toBeUndefined();
  });
});

describe('ymdToIsoDate', () => {
  it('puts dashes in', () => {
    expect(ymdToIsoDate('20260526')).toBe('2026-05-26');
  });

  it('throws on anything but 8 digits', () => {
    expect(() => ymdToIsoDate('2026-05-26')).toThrow(RangeError);
    expect(() => ymdToIsoDate('2026052')).toThrow(RangeError);
  });
});
