import { describe, expect, it } from 'vitest';
import { worstVerdict, type Finding, type Verdict } from '../../../src/scs/findings.js';
import type { ImageSubject } from '../../../src/scs/image-subject.js';
import { SCS_0104_V1_IMAGES, checkStandardImages } from '../../../src/scs/standard-images.js';
import { image, type Overrides } from './helpers.js';

const CAPI_SOURCE =
  'https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/ubuntu-2204-kube-v1.30/ubuntu-2204-kube-v1.30.4.qcow2';

const named = (name: string, source: string | undefined, overrides: Overrides = {}): ImageSubject =>
  image({ name, ...overrides, props: { image_source: source, ...overrides.props } });

const ubuntu2404 = (overrides: Overrides = {}) =>
  named(
    'Ubuntu 24.04',
    'https://cloud-images.ubuntu.com/releases/noble/release-20250601/ubuntu-24.04-server-cloudimg-amd64.img',
    overrides,
  );
const debian12 = (overrides: Overrides = {}) =>
  named(
    'Debian 12',
    'https://cloud.debian.org/images/cloud/bookworm/20250601-2130/debian-12-genericcloud-amd64-20250601-2130.qcow2',
    overrides,
  );
const capi = (overrides: Overrides = {}) => named('ubuntu-capi-image-v1.30.4', CAPI_SOURCE, overrides);

function presence(findings: Finding[], name: string): Verdict | undefined {
  return findings.find((f) => f.rule === 'standard_image' && f.image === name)?.verdict;
}

function sourceVerdicts(findings: Finding[]): Record<string, Verdict> {
  return Object.fromEntries(
    findings.filter((f) => f.rule === 'standard_image_source').map((f) => [f.image, f.verdict]),
  );
}

describe('checkStandardImages (scs-0104-v1)', () => {
  it('passes a cloud with the mandatory and recommended images from their official sources', () => {
    const findings = checkStandardImages([ubuntu2404(), debian12(), capi()]);
    expect(findings.filter((f) => f.verdict !== 'PASS')).toEqual([]);
    expect(sourceVerdicts(findings)).toEqual({
      'Ubuntu 24.04': 'PASS',
      'Debian 12': 'PASS',
      'ubuntu-capi-image-v1.30.4': 'PASS',
    });
    expect(findings.filter((f) => f.rule === 'standard_image').map((f) => f.image)).toEqual(
      SCS_0104_V1_IMAGES.map((s) => s.name),
    );
  });

  it('fails without Ubuntu 24.04 (mandatory)', () => {
    const findings = checkStandardImages([debian12(), capi()]);
    expect(presence(findings, 'Ubuntu 24.04')).toBe('FAIL');
    expect(findings.find((f) => f.image === 'Ubuntu 24.04')?.message).toContain('mandatory');
    expect(worstVerdict(findings)).toBe('FAIL');
  });

  it('does not take an older, renamed Ubuntu 24.04 or Ubuntu 22.04 for Ubuntu 24.04', () => {
    const findings = checkStandardImages([
      named('Ubuntu 24.04 (20250101)', 'https://cloud-images.ubuntu.com/noble/x.img'),
      named('Ubuntu 22.04', 'https://cloud-images.ubuntu.com/jammy/x.img'),
    ]);
    expect(presence(findings, 'Ubuntu 24.04')).toBe('FAIL');
    expect(presence(findings, 'Ubuntu 22.04')).toBe('PASS');
  });

  it('counts only public and community images', () => {
    expect(presence(checkStandardImages([ubuntu2404({ visibility: 'private' })]), 'Ubuntu 24.04')).toBe('FAIL');
    expect(presence(checkStandardImages([ubuntu2404({ visibility: 'shared' })]), 'Ubuntu 24.04')).toBe('FAIL');
    expect(presence(checkStandardImages([ubuntu2404({ visibility: 'community' })]), 'Ubuntu 24.04')).toBe('PASS');
    expect(presence(checkStandardImages([ubuntu2404({ visibility: undefined })]), 'Ubuntu 24.04')).toBe('PASS');
  });

  it('warns without Debian 12 or a CAPI image (recommended), and passes without the optional ones', () => {
    const findings = checkStandardImages([ubuntu2404()]);
    expect(presence(findings, 'Debian 12')).toBe('WARN');
    expect(presence(findings, 'ubuntu-capi-image')).toBe('WARN');
    for (const optional of ['Ubuntu 22.04', 'Ubuntu 20.04', 'Debian 13', 'Debian 11', 'Debian 10']) {
      expect(presence(findings, optional)).toBe('PASS');
    }
    expect(worstVerdict(findings)).toBe('WARN');
  });

  it('recognises CAPI images by the name scheme "ubuntu-capi-image-vX.Y[.Z]"', () => {
    expect(presence(checkStandardImages([capi({ name: 'ubuntu-capi-image-v1.31' })]), 'ubuntu-capi-image')).toBe(
      'PASS',
    );
    expect(presence(checkStandardImages([capi({ name: 'ubuntu-capi-image v1.30.4' })]), 'ubuntu-capi-image')).toBe(
      'WARN',
    );
    expect(presence(checkStandardImages([capi({ name: 'ubuntu-capi-image-latest' })]), 'ubuntu-capi-image')).toBe(
      'WARN',
    );
  });

  it.each<[string, string | undefined, Verdict]>([
    [
      'releases/noble/',
      'https://cloud-images.ubuntu.com/releases/noble/release/ubuntu-24.04-server-cloudimg-amd64.img',
      'PASS',
    ],
    ['noble/ (daily)', 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img', 'PASS'],
    [
      'jammy (wrong release)',
      'https://cloud-images.ubuntu.com/releases/jammy/release/ubuntu-22.04-server-cloudimg-amd64.img',
      'FAIL',
    ],
    ['a mirror', 'https://mirror.example.com/ubuntu/releases/noble/x.img', 'FAIL'],
    ['a codename prefix, not a directory', 'https://cloud-images.ubuntu.com/releases/noble-backup/x.img', 'FAIL'],
    ['plain http', 'http://cloud-images.ubuntu.com/releases/noble/x.img', 'FAIL'],
    ['private', 'private', 'FAIL'],
    ['no image_source', undefined, 'FAIL'],
  ])('Ubuntu 24.04 from %s: %s', (_title, source, verdict) => {
    const findings = checkStandardImages([named('Ubuntu 24.04', source)]);
    expect(presence(findings, 'Ubuntu 24.04')).toBe('PASS');
    expect(sourceVerdicts(findings)['Ubuntu 24.04']).toBe(verdict);
  });

  it('names the expected prefixes when the source is wrong', () => {
    const findings = checkStandardImages([named('Ubuntu 24.04', 'https://example.com/noble.img')]);
    const message = findings.find((f) => f.rule === 'standard_image_source')?.message ?? '';
    expect(message).toContain('https://cloud-images.ubuntu.com/releases/noble/');
    expect(message).toContain('"https://example.com/noble.img"');
  });

  it.each<[string, string, Verdict]>([
    [
      'cloud.debian.org',
      'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
      'PASS',
    ],
    [
      'cdimage.debian.org',
      'https://cdimage.debian.org/cdimage/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
      'PASS',
    ],
    [
      'bullseye (wrong release)',
      'https://cloud.debian.org/images/cloud/bullseye/latest/debian-11-genericcloud-amd64.qcow2',
      'FAIL',
    ],
  ])('Debian 12 from %s: %s', (_title, source, verdict) => {
    expect(sourceVerdicts(checkStandardImages([named('Debian 12', source)]))['Debian 12']).toBe(verdict);
  });

  it('checks the source of an optional image that is present, and of a CAPI image', () => {
    const findings = checkStandardImages([
      named('Debian 11', 'https://cloud.debian.org/images/cloud/bookworm/x.qcow2'),
      capi({ props: { image_source: 'https://example.com/capi.qcow2' } }),
    ]);
    expect(sourceVerdicts(findings)).toEqual({ 'Debian 11': 'FAIL', 'ubuntu-capi-image-v1.30.4': 'FAIL' });
  });

  it('takes another list of standard images', () => {
    const findings = checkStandardImages([ubuntu2404()], {
      specs: [{ name: 'Debian 13', sources: ['https://cloud.debian.org/images/cloud/trixie/'], status: 'mandatory' }],
    });
    expect(findings).toEqual([
      {
        rule: 'standard_image',
        verdict: 'FAIL',
        message: expect.stringContaining('"Debian 13"') as unknown as string,
        image: 'Debian 13',
      },
    ]);
  });
});
