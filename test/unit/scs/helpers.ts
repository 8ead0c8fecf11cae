import { expect } from 'vitest';
import type { Finding, Rule, Verdict } from '../../../src/scs/findings.js';
import type { CheckOptions, ImageSubject } from '../../../src/scs/image-subject.js';

/** Fixed clock for every test. */
export const NOW = new Date('2025-06-15T12:00:00Z');
export const V1: CheckOptions = { version: 'v1', now: NOW };
export const V2: CheckOptions = { version: 'v2', now: NOW };
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

const BASE_PROPERTIES: Record<string, string> = {
  architecture: 'x86_64',
  os_distro: 'ubuntu',
  os_version: '24.04',
  os_purpose: 'generic',
  hw_disk_bus: 'scsi',
  hypervisor_type: 'qemu',
  hw_rng_model: 'virtio',
  replace_frequency: 'monthly',
  provided_until: '2029-05-31',
  uuid_validity: 'last-3',
  hotfix_hours: '0',
  image_source:
    'https://cloud-images.ubuntu.com/releases/noble/release-20250601/ubuntu-24.04-server-cloudimg-amd64.img',
  image_description: 'https://ubuntu.com/server',
  image_original_user: 'ubuntu',
  image_build_date: '2025-06-01',
};

export type Overrides = Omit<Partial<ImageSubject>, 'properties'> & {
  /** Merged into the compliant properties; `undefined` removes one. */
  props?: Record<string, string | undefined>;
};

/** A fully compliant, stored Ubuntu 24.04 image; overrides change it. */
export function image(overrides: Overrides = {}): ImageSubject {
  const { props = {}, ...rest } = overrides;
  const properties: Record<string, string | undefined> = { ...BASE_PROPERTIES };
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) delete properties[key];
    else properties[key] = value;
  }
  return {
    id: undefined,
    name: 'Ubuntu 24.04',
    min_disk: 8,
    min_ram: 512,
    size: 600 * MIB,
    virtual_size: 3.5 * GIB,
    visibility: 'public',
    os_hidden: false,
    created_at: '2025-06-02T08:00:00Z',
    os_hash_algo: 'sha512',
    ...rest,
    properties,
  };
}

/** An image as a definition describes it before its import: no size, creation date or hash. */
export function definition(overrides: Overrides = {}): ImageSubject {
  const subject = image(overrides);
  for (const key of ['size', 'virtual_size', 'created_at', 'os_hash_algo'] as const) {
    if (!(key in overrides)) delete subject[key];
  }
  return subject;
}

export function findingOf(findings: readonly Finding[], rule: Rule, imageName?: string): Finding {
  const found = findings.filter((f) => f.rule === rule && (imageName === undefined || f.image === imageName));
  expect(found, `exactly one ${rule} finding${imageName ? ` for ${imageName}` : ''}`).toHaveLength(1);
  return found[0] as Finding;
}

export function verdictOf(findings: readonly Finding[], rule: Rule, imageName?: string): Verdict {
  return findingOf(findings, rule, imageName).verdict;
}
