import { afterEach, describe, expect, it } from 'vitest';
import { dateInName, inBuildOrder, labelDay, versionBuildDay } from '../../../src/definitions/version-order.js';
import { SHA256, TempDirs, definitionFile, edit, imageEntry } from './helpers.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

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

describe('labelDay', () => {
  it('reads the date of a label in any of its forms', () => {
    expect(['20260301', '20260301.1', 'v20260301', '2026-03-01'].map(labelDay)).toEqual(Array(4).fill('20260301'));
    expect(['9.4', '1877.10', 'latest', '2026-02-30'].map(labelDay)).toEqual(Array(4).fill(undefined));
  });
});

describe('versionBuildDay', () => {
  it('is the build_date, whatever the label says', () => {
    expect(versionBuildDay({ version: '20260301', build_date: '2026-02-01' })).toBe('20260201');
    expect(versionBuildDay({ version: '9.4', build_date: '2026-02-01' })).toBe('20260201');
  });

  it('without build_date, the date the label tells', () => {
    expect(versionBuildDay({ version: '2026-03-01' })).toBe('20260301');
    expect(versionBuildDay({ version: 'v20260301' })).toBe('20260301');
    expect(versionBuildDay({ version: '20260301.1' })).toBe('20260301');
    expect(versionBuildDay({ version: '9.4' })).toBeUndefined();
    expect(versionBuildDay({ version: '2026-02-30' })).toBeUndefined();
  });
});

describe('inBuildOrder', () => {
  const labels = (...versions: string[]) =>
    inBuildOrder(versions.map((version) => ({ version }))).map((v) => v.version);

  it('orders labels of mixed forms by the build day they tell, not by their text', () => {
    // Natural label order would be 2026-03-01, 20260201, 20260201.1, 20260215, v20260301.
    expect(labels('v20260301', '20260215', '2026-03-01', '20260201.1', '20260201')).toEqual([
      '20260201',
      '20260201.1',
      '20260215',
      '2026-03-01',
      'v20260301',
    ]);
  });

  it('within a day, in natural label order (20260201.9 before 20260201.10)', () => {
    expect(labels('20260201.10', '20260201', '20260201.9')).toEqual(['20260201', '20260201.9', '20260201.10']);
  });

  it('a build_date wins over the label', () => {
    const versions = [
      { version: '20260301', build_date: '2026-01-01' },
      { version: '20260201', build_date: '2026-02-01' },
    ];
    expect(inBuildOrder(versions).map((v) => v.version)).toEqual(['20260301', '20260201']);
  });

  it('labels without dates keep natural order (9.10 after 9.9), as OIM sorts them', () => {
    expect(labels('9.10', '9.9', '9.4')).toEqual(['9.4', '9.9', '9.10']);
  });

  it('release numbers keep natural order whatever their build dates (OIM catalogue: Garden Linux)', () => {
    const versions = [
      { version: '1877.10', build_date: '2026-01-29' },
      { version: '1592.16', build_date: '2026-01-20' },
      { version: '1877.7', build_date: '2025-11-14' },
    ];
    expect(inBuildOrder(versions).map((v) => v.version)).toEqual(['1592.16', '1877.7', '1877.10']);
  });

  it('one version without a date: natural label order for all', () => {
    expect(labels('v20260301', '20260401', 'latest')).toEqual(['20260401', 'latest', 'v20260301']);
  });

  it('leaves its input alone', () => {
    const versions = [{ version: '20260301' }, { version: '20260201' }];
    inBuildOrder(versions);
    expect(versions.map((v) => v.version)).toEqual(['20260301', '20260201']);
  });
});

describe('the loader', () => {
  it('gives a definition its versions in build order: 20260215 before 2026-03-01', () => {
    const second = `      - version: '2026-03-01'
        url: https://example.com/image-20260301.qcow2
        checksum: sha256:${SHA256}
        build_date: 2026-03-01
      - version: '20260215'
        url: https://example.com/image-20260215.qcow2
        checksum: sha256:${SHA256}
        build_date: 2026-02-15
`;
    const text = edit(
      definitionFile(imageEntry()),
      "      - version: '20240101'",
      `${second}      - version: '20240101'`,
    );
    const [loaded] = dirs.load(text).definitions;
    expect(loaded?.versions.map((version) => version.version)).toEqual(['20240101', '20260215', '2026-03-01']);
  });
});
