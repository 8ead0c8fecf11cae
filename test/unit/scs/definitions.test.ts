import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/index.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import { checkDefinitions } from '../../../src/scs/definitions.js';
import { subjectOfImage } from '../../../src/scs/subjects.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const options = { version: 'v2' as const, now: new Date('2026-11-26T12:00:00Z') };

function enabled(dir: string): ImageDefinition[] {
  return loadDefinitions(dir).definitions.filter((def) => def.enable);
}

describe('scs-0102 applied to definitions (--check)', () => {
  it('passes the shipped catalogue with no error and no warning', () => {
    const result = checkDefinitions(enabled(path.join(repoRoot, 'images')), options);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("loads OIM's catalogue with only uniqueness warnings: AlmaLinux 9 and CentOS Stream 9 share os_distro centos 9", () => {
    const result = checkDefinitions(enabled(path.join(repoRoot, 'test', 'fixtures', 'oim', 'images')), options);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.image).sort()).toEqual(['AlmaLinux 9', 'CentOS Stream 9']);
    expect(result.warnings.every((w) => w.path === 'uniqueness')).toBe(true);
  });

  it('makes a definition that would publish a non-compliant image an error naming file, line, image and rule', () => {
    const [ubuntu] = enabled(path.join(repoRoot, 'images')).filter((def) => def.name === 'Ubuntu 24.04');
    const broken: ImageDefinition = {
      ...(ubuntu as ImageDefinition),
      min_ram: 0,
      meta: { ...(ubuntu as ImageDefinition).meta, hypervisor_type: 'vmware' },
    };
    const result = checkDefinitions([broken], options);
    const rules = result.errors.map((e) => e.path.split(' ').at(-1));
    expect(rules).toEqual(expect.arrayContaining(['hypervisor_type', 'min_ram']));
    expect(result.errors[0]).toMatchObject({ file: broken.file, image: 'Ubuntu 24.04' });
    expect(result.errors[0]?.line).toBeGreaterThan(0);
  });

  it('does not judge recency on definitions: a stale catalogue still loads', () => {
    const [ubuntu] = enabled(path.join(repoRoot, 'images')).filter((def) => def.name === 'Ubuntu 24.04');
    const later = { version: 'v2' as const, now: new Date('2030-01-01T00:00:00Z') };
    expect(checkDefinitions([ubuntu as ImageDefinition], later).errors).toEqual([]);
  });
});

describe('a live image as the rules see it', () => {
  it('takes the additional properties and leaves out the core fields', () => {
    const subject = subjectOfImage({
      id: 'i1',
      name: 'Ubuntu 24.04',
      status: 'active',
      visibility: 'public',
      protected: false,
      os_hidden: true,
      tags: ['a'],
      min_disk: 8,
      min_ram: 512,
      disk_format: 'qcow2',
      container_format: 'bare',
      size: 123,
      virtual_size: 456,
      checksum: 'c',
      os_hash_algo: 'sha512',
      os_hash_value: 'h',
      owner: 'p',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      os_distro: 'ubuntu',
      architecture: 'x86_64',
    });
    expect(subject.properties).toEqual({ os_distro: 'ubuntu', architecture: 'x86_64' });
    expect(subject).toMatchObject({
      id: 'i1',
      min_disk: 8,
      size: 123,
      virtual_size: 456,
      os_hidden: true,
      os_hash_algo: 'sha512',
    });
  });
});
