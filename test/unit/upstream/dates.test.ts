import { describe, expect, it } from 'vitest';
import { dateInName, httpDateToYmd, ymdToIsoDate } from '../../../src/upstream/dates.js';

describe('dateInName', () => {
  it('finds the build date in upstream file names', () => {
    expect(dateInName('AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2')).toBe('20260526');
    expect(dateInName('debian-13-genericcloud-amd64-daily-20251127-2309.qcow2')).toBe('20251127');
    expect(dateInName('CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2')).toBe('20260714');
    expect(dateInName('noble-server-cloudimg-riscv64.daily.20260615.20260705.image_changelog.json')).toBe('20260615');
  });

  it('gives undefined for names without a date', () => {
    expect(dateInName('ubuntu-24.04-server-cloudimg-amd64.img')).toBeUndefined();
    expect(dateInName('Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2')).toBeUndefined();
    expect(dateInName('CentOS-7-x86_64-GenericCloud-2211.qcow2')).toBeUndefined();
    expect(dateInName('')).toBeUndefined();
  });

  it('only takes runs of exactly 8 digits', () => {
    expect(dateInName('image-202605261.qcow2')).toBeUndefined();
    expect(dateInName('image-1202605260.qcow2')).toBeUndefined();
    expect(dateInName('image-2026052.qcow2')).toBeUndefined();
  });

  it('skips 8-digit runs that are no calendar date between 1990 and 2099', () => {
    expect(dateInName('size-12345678-built-20260102.qcow2')).toBe('20260102');
    expect(dateInName('x-20260230.qcow2')).toBeUndefined();
    expect(dateInName('x-19891231.qcow2')).toBeUndefined();
    expect(dateInName('x-19900101.qcow2')).toBe('19900101');
    expect(dateInName('x-20991231.qcow2')).toBe('20991231');
    expect(dateInName('x-21000101.qcow2')).toBeUndefined();
  });
});

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
