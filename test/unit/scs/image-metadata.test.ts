import { describe, expect, it } from 'vitest';
import { worstVerdict, type Verdict } from '../../../src/scs/findings.js';
import { IMAGE_RULES, checkImage, type ImageRule } from '../../../src/scs/image-metadata.js';
import type { CheckOptions } from '../../../src/scs/image-subject.js';
import { GIB, MIB, NOW, V1, V2, definition, findingOf, image, verdictOf, type Overrides } from './helpers.js';

type Case = [title: string, overrides: Overrides, verdict: Verdict, message?: string];

function table(rule: ImageRule, cases: Case[], options: CheckOptions = V2): void {
  describe(rule, () => {
    it.each(cases)('%s', (_title, overrides, verdict, message) => {
      const finding = findingOf(checkImage(image(overrides), options), rule);
      expect(finding.verdict).toBe(verdict);
      if (message !== undefined) expect(finding.message).toContain(message);
    });
  });
}

describe('checkImage: a compliant image', () => {
  it('passes every rule, one finding per rule in IMAGE_RULES order, each naming the image', () => {
    const findings = checkImage(image(), V2);
    expect(findings.map((f) => f.rule)).toEqual([...IMAGE_RULES]);
    expect(findings.filter((f) => f.verdict !== 'PASS')).toEqual([]);
    expect(new Set(findings.map((f) => f.image))).toEqual(new Set(['Ubuntu 24.04']));
    expect(worstVerdict(findings)).toBe('PASS');
  });

  it('also as a definition (no size, created_at or hash yet): those parts are skipped, not failed', () => {
    const findings = checkImage(definition(), V2);
    expect(worstVerdict(findings)).toBe('PASS');
    expect(findingOf(findings, 'min_disk').message).toContain('size unknown');
    expect(findingOf(findings, 'os_hash_algo').message).toContain('unknown');
    expect(findingOf(findings, 'image_build_date').message).toContain('created_at unknown');
  });

  it('a property-less image fails every mandatory rule', () => {
    const findings = checkImage({ name: 'bare', properties: {} }, V2);
    const failed = findings.filter((f) => f.verdict === 'FAIL').map((f) => f.rule);
    expect(failed).toEqual([
      'architecture',
      'min_disk',
      'min_ram',
      'os_distro',
      'os_version',
      'os_purpose',
      'replace_frequency',
      'provided_until',
      'uuid_validity',
      'image_source',
      'image_description',
      'image_original_user',
      'image_build_date',
    ]);
    expect(worstVerdict(findings)).toBe('FAIL');
  });
});

table('architecture', [
  ['x86_64', {}, 'PASS'],
  ['aarch64', { props: { architecture: 'aarch64' } }, 'PASS'],
  ['risc-v', { props: { architecture: 'risc-v' } }, 'PASS'],
  ['missing', { props: { architecture: undefined } }, 'FAIL', 'not set'],
  ['amd64 (Debian spelling)', { props: { architecture: 'amd64' } }, 'FAIL', '"amd64"'],
  ['arm64', { props: { architecture: 'arm64' } }, 'FAIL'],
]);

table('min_disk', [
  ['missing', { min_disk: undefined }, 'FAIL', 'not set'],
  ['zero (Glance default)', { min_disk: 0 }, 'FAIL', 'non-zero'],
  ['smaller than the stored size', { min_disk: 1, size: 2 * GIB }, 'FAIL', 'smaller than the stored image'],
  ['exactly the stored size', { min_disk: 2, size: 2 * GIB, virtual_size: 2 * GIB }, 'PASS'],
  ['one byte too small', { min_disk: 2, size: 2 * GIB + 1 }, 'FAIL'],
  ['no stored size yet (null)', { min_disk: 1, size: null, virtual_size: null }, 'PASS', 'size unknown'],
  ['no stored size (absent)', { min_disk: 1, size: undefined, virtual_size: undefined }, 'PASS', 'size unknown'],
  ['below the virtual size', { min_disk: 8, size: 600 * MIB, virtual_size: 10 * GIB }, 'WARN', 'virtual size'],
]);

table('min_ram', [
  ['512 MiB', {}, 'PASS'],
  ['64 MiB', { min_ram: 64 }, 'PASS'],
  ['32 MiB', { min_ram: 32 }, 'WARN', 'below 64 MiB'],
  ['zero', { min_ram: 0 }, 'FAIL'],
  ['missing', { min_ram: undefined }, 'FAIL', 'not set'],
]);

table('os_distro', [
  ['debian', { props: { os_distro: 'debian' } }, 'PASS'],
  ['missing', { props: { os_distro: undefined } }, 'FAIL', 'not set'],
  ['empty', { props: { os_distro: '' } }, 'FAIL', 'empty'],
  ['blank', { props: { os_distro: '  ' } }, 'FAIL', 'empty'],
]);

table('os_version', [
  ['12', { props: { os_version: '12' } }, 'PASS'],
  ['missing', { props: { os_version: undefined } }, 'FAIL'],
  ['empty', { props: { os_version: '' } }, 'FAIL'],
]);

describe('os_purpose: v1 vs v2', () => {
  it.each<[string, string | undefined, Verdict, Verdict]>([
    ['missing', undefined, 'WARN', 'FAIL'],
    ['empty', '', 'WARN', 'FAIL'],
    ['not in the list', 'server', 'WARN', 'FAIL'],
    ['generic', 'generic', 'PASS', 'PASS'],
    ['k8snode', 'k8snode', 'PASS', 'PASS'],
    ['custom', 'custom', 'PASS', 'PASS'],
    ['oldgeneric (OIM)', 'oldgeneric', 'PASS', 'PASS'],
  ])('%s: v1 %s, v2 %s', (_title, value, v1, v2) => {
    const subject = image({ props: { os_purpose: value } });
    expect(verdictOf(checkImage(subject, V1), 'os_purpose')).toBe(v1);
    expect(verdictOf(checkImage(subject, V2), 'os_purpose')).toBe(v2);
  });

  it('says why: mandatory in v2, recommended in v1', () => {
    const subject = image({ props: { os_purpose: undefined } });
    expect(findingOf(checkImage(subject, V2), 'os_purpose').message).toContain('mandatory in scs-0102-v2');
    expect(findingOf(checkImage(subject, V1), 'os_purpose').message).toContain('recommended');
  });
});

table('hw_disk_bus', [
  ['scsi', {}, 'PASS'],
  ['virtio', { props: { hw_disk_bus: 'virtio' } }, 'PASS'],
  ['not set', { props: { hw_disk_bus: undefined } }, 'PASS', 'not set'],
  ['ide', { props: { hw_disk_bus: 'ide' } }, 'FAIL', 'virtio, scsi'],
  ['set but empty', { props: { hw_disk_bus: '' } }, 'FAIL'],
]);

table('hypervisor_type', [
  ['qemu', {}, 'PASS'],
  ['kvm', { props: { hypervisor_type: 'kvm' } }, 'PASS'],
  ['hyper-v', { props: { hypervisor_type: 'hyper-v' } }, 'PASS'],
  ['esxi', { props: { hypervisor_type: 'esxi' } }, 'PASS'],
  ['not set', { props: { hypervisor_type: undefined } }, 'PASS'],
  ['hyperv (Glance/OIM spelling)', { props: { hypervisor_type: 'hyperv' } }, 'FAIL'],
  ['vmware (Glance/OIM value)', { props: { hypervisor_type: 'vmware' } }, 'FAIL'],
  ['QEMU (case matters)', { props: { hypervisor_type: 'QEMU' } }, 'FAIL'],
]);

table('hw_rng_model', [
  ['virtio', {}, 'PASS'],
  ['not set', { props: { hw_rng_model: undefined } }, 'PASS'],
  ['random', { props: { hw_rng_model: 'random' } }, 'FAIL'],
]);

table('replace_frequency', [
  ...['yearly', 'quarterly', 'monthly', 'weekly', 'daily', 'critical_bug', 'never'].map(
    (value): Case => [value, { props: { replace_frequency: value } }, 'PASS'],
  ),
  ['missing', { props: { replace_frequency: undefined } }, 'FAIL', 'not set'],
  ['biweekly', { props: { replace_frequency: 'biweekly' } }, 'FAIL', '"biweekly"'],
  ['Monthly (case matters)', { props: { replace_frequency: 'Monthly' } }, 'FAIL'],
]);

table('provided_until', [
  ['a date', {}, 'PASS'],
  ['none', { props: { provided_until: 'none' } }, 'PASS'],
  ['notice', { props: { provided_until: 'notice' } }, 'PASS'],
  ['a date already passed (still well-formed)', { props: { provided_until: '2020-01-31' } }, 'PASS'],
  ['missing', { props: { provided_until: undefined } }, 'FAIL', 'not set'],
  ['empty', { props: { provided_until: '' } }, 'FAIL', 'not set'],
  ['no such day', { props: { provided_until: '2026-02-30' } }, 'FAIL'],
  ['German date', { props: { provided_until: '31.01.2026' } }, 'FAIL'],
  ['forever (a uuid_validity value)', { props: { provided_until: 'forever' } }, 'FAIL'],
]);

table('uuid_validity', [
  ['last-3', {}, 'PASS'],
  ['none', { props: { uuid_validity: 'none' } }, 'PASS'],
  ['notice', { props: { uuid_validity: 'notice' } }, 'PASS'],
  ['forever', { props: { uuid_validity: 'forever' } }, 'PASS'],
  ['a date', { props: { uuid_validity: '2026-12-31' } }, 'PASS'],
  ['last-12', { props: { uuid_validity: 'last-12' } }, 'PASS'],
  ['missing', { props: { uuid_validity: undefined } }, 'FAIL', 'not set'],
  ['last- without N', { props: { uuid_validity: 'last-' } }, 'FAIL'],
  ['last-x', { props: { uuid_validity: 'last-x' } }, 'FAIL'],
  ['always', { props: { uuid_validity: 'always' } }, 'FAIL', '"always"'],
  ['no such day', { props: { uuid_validity: '2026-13-01' } }, 'FAIL'],
]);

table('hotfix_hours', [
  ['0', {}, 'PASS'],
  ['48', { props: { hotfix_hours: '48' } }, 'PASS'],
  ['not set (optional)', { props: { hotfix_hours: undefined } }, 'PASS', 'optional'],
  ['48h', { props: { hotfix_hours: '48h' } }, 'FAIL'],
  ['-1', { props: { hotfix_hours: '-1' } }, 'FAIL'],
  ['set but empty', { props: { hotfix_hours: '' } }, 'FAIL'],
]);

table('image_source', [
  ['https URL', {}, 'PASS'],
  ['http URL', { props: { image_source: 'http://example.com/x.img' } }, 'PASS'],
  ['ftp URL', { props: { image_source: 'ftp://example.com/x.img' } }, 'PASS'],
  ['ftps URL', { props: { image_source: 'ftps://example.com/x.img' } }, 'PASS'],
  ['private', { props: { image_source: 'private' } }, 'PASS'],
  ['missing', { props: { image_source: undefined } }, 'FAIL', 'not set'],
  ['a file URL', { props: { image_source: 'file:///srv/x.img' } }, 'FAIL'],
  ['no scheme', { props: { image_source: 'cloud-images.ubuntu.com/noble/x.img' } }, 'FAIL'],
  ['Private (case matters)', { props: { image_source: 'Private' } }, 'FAIL'],
  ['scheme only', { props: { image_source: 'https://' } }, 'FAIL'],
]);

table('image_description', [
  ['text', { props: { image_description: 'Ubuntu Server 24.04 LTS' } }, 'PASS'],
  ['missing', { props: { image_description: undefined } }, 'FAIL'],
  ['empty', { props: { image_description: '' } }, 'FAIL'],
]);

table('image_original_user', [
  ['debian', { props: { image_original_user: 'debian' } }, 'PASS'],
  ['none (allowed by the standard)', { props: { image_original_user: 'none' } }, 'PASS'],
  ['missing', { props: { image_original_user: undefined } }, 'FAIL'],
  ['empty', { props: { image_original_user: '' } }, 'FAIL'],
]);

table('image_build_date', [
  ['YYYY-MM-DD', {}, 'PASS'],
  ['YYYY-MM-DD hh:mm', { props: { image_build_date: '2025-06-01 10:30' } }, 'PASS'],
  ['YYYY-MM-DD hh:mm:ss', { props: { image_build_date: '2025-06-01 10:30:15' } }, 'PASS'],
  ['YYYY-MM-DDThh:mm:ssZ', { props: { image_build_date: '2025-06-01T10:30:15Z' } }, 'PASS'],
  ['missing', { props: { image_build_date: undefined } }, 'FAIL', 'not set'],
  ['YYYYMMDD', { props: { image_build_date: '20250601' } }, 'FAIL', 'is not YYYY-MM-DD'],
  ['ISO without Z', { props: { image_build_date: '2025-06-01T10:30:15' } }, 'FAIL'],
  ['no such month', { props: { image_build_date: '2025-13-01' } }, 'FAIL'],
  ['no such hour', { props: { image_build_date: '2025-06-01 24:00' } }, 'FAIL'],
  ['after created_at', { props: { image_build_date: '2025-06-03' } }, 'FAIL', "after the image's registration"],
  ['same day as created_at, later hour', { props: { image_build_date: '2025-06-02 09:00' } }, 'FAIL', 'after'],
  ['same day as created_at, earlier hour', { props: { image_build_date: '2025-06-02 07:59' } }, 'PASS'],
  ['after a created_at with fractions', { created_at: '2025-05-31T08:00:00.123Z' }, 'FAIL', 'after'],
  ['unreadable created_at: not compared', { created_at: 'yesterday' }, 'PASS', 'unreadable'],
  ['created_at on no real day: not compared', { created_at: '2025-02-30T08:00:00.5+01:00' }, 'PASS', 'unreadable'],
  [
    'in the future (no created_at)',
    { created_at: undefined, props: { image_build_date: '2025-07-01' } },
    'FAIL',
    'in the future',
  ],
  [
    'later today (no created_at)',
    { created_at: undefined, props: { image_build_date: '2025-06-15 13:00' } },
    'FAIL',
    'in the future',
  ],
  ['today (no created_at)', { created_at: undefined, props: { image_build_date: '2025-06-15' } }, 'PASS'],
  [
    'in the future and after created_at',
    { props: { image_build_date: '2025-07-01' } },
    'FAIL',
    'registration (created_at 2025-06-02T08:00:00Z) and is in the future',
  ],
]);

table('os_hash_algo', [
  ['sha512', {}, 'PASS'],
  ['sha256', { os_hash_algo: 'sha256' }, 'PASS'],
  ['md5', { os_hash_algo: 'md5' }, 'WARN', 'sha256 or sha512'],
  ['null (no data yet)', { os_hash_algo: null }, 'PASS', 'unknown'],
  ['absent', { os_hash_algo: undefined }, 'PASS', 'unknown'],
]);

describe('options.now', () => {
  it('judges "in the future" against the given clock, not the real one', () => {
    const subject = image({ created_at: undefined, props: { image_build_date: '2030-01-01' } });
    expect(verdictOf(checkImage(subject, { version: 'v2', now: NOW }), 'image_build_date')).toBe('FAIL');
    expect(
      verdictOf(checkImage(subject, { version: 'v2', now: new Date('2030-01-02T00:00:00Z') }), 'image_build_date'),
    ).toBe('PASS');
  });
});

describe('worstVerdict', () => {
  it('ranks FAIL over WARN over PASS, PASS for nothing', () => {
    const f = (verdict: Verdict) => ({ rule: 'min_ram' as const, verdict, message: '' });
    expect(worstVerdict([])).toBe('PASS');
    expect(worstVerdict([f('PASS'), f('PASS')])).toBe('PASS');
    expect(worstVerdict([f('PASS'), f('WARN'), f('PASS')])).toBe('WARN');
    expect(worstVerdict([f('WARN'), f('FAIL'), f('WARN')])).toBe('FAIL');
    expect(worstVerdict([f('FAIL'), f('PASS')])).toBe('FAIL');
  });
});
