import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/load.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import { lineOf } from './helpers.js';

// OIM's own catalogue, copied into the repository (test/fixtures/oim/README.md).
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const catalogue = resolve(repoRoot, 'test', 'fixtures', 'oim', 'images');

function byName(definitions: ImageDefinition[], name: string): ImageDefinition {
  const definition = definitions.find((candidate) => candidate.name === name);
  if (definition === undefined) throw new Error(`no image ${name}`);
  return definition;
}

describe('OIM catalogue', () => {
  const { definitions, warnings } = loadDefinitions(catalogue);

  it('loads every file without errors or warnings, disabled images included', () => {
    expect(readdirSync(catalogue).filter((name) => name.endsWith('.yml'))).toHaveLength(12);
    expect(definitions).toHaveLength(29);
    expect(warnings).toEqual([]);
    expect(definitions.filter((definition) => definition.enable)).toHaveLength(12);
    expect(byName(definitions, 'Debian 10').enable).toBe(false);
  });

  it('keeps the files in name order and the images in file order', () => {
    expect(definitions[0]?.name).toBe('AlmaLinux 8');
    expect(definitions.at(-1)?.name.startsWith('Ubuntu')).toBe(true);
    const debian = definitions.filter((definition) => definition.name.startsWith('Debian')).map((d) => d.name);
    expect(debian).toEqual(['Debian 10', 'Debian 11', 'Debian 12', 'Debian 13']);
  });

  it('reads a Debian version with its sha512 checksum, date and position', () => {
    const debian10 = byName(definitions, 'Debian 10');
    expect(debian10.file).toBe(join(catalogue, 'debian.yml'));
    expect(debian10.line).toBe(3);
    expect(debian10.versions).toHaveLength(1);
    const [version] = debian10.versions;
    expect(version).toMatchObject({
      version: '20240703',
      line: 32,
      build_date: '2024-07-03',
      url: 'https://cdimage.debian.org/cdimage/cloud/buster/20240703-1797/debian-10-genericcloud-amd64-20240703-1797.qcow2',
      meta: {},
    });
    expect(version?.checksum?.algo).toBe('sha512');
    expect(version?.checksum?.hex).toMatch(/^416bca009f83884c[0-9a-f]{112}$/);
    expect(debian10.latest_checksum_url).toBe('https://cdimage.debian.org/cdimage/cloud/buster/latest/SHA512SUMS');
  });

  it('finds the line of a version entry whose first key is not version', () => {
    const text = readFileSync(join(catalogue, 'debian.yml'), 'utf8');
    const [version] = byName(definitions, 'Debian 12').versions;
    expect(version?.version).toBe('20260124');
    expect(version?.line).toBe(lineOf(text, '- build_date: 2026-01-24'));
    expect(version?.build_date).toBe('2026-01-24');
  });

  it('reads the image fields and meta as OIM does, with defaults filled in', () => {
    const debian12 = byName(definitions, 'Debian 12');
    expect(debian12).toMatchObject({
      enable: true,
      format: 'qcow2',
      login: 'debian',
      min_disk: 8,
      min_ram: 512,
      multi: true,
      keep: false,
      separator: ' ',
      status: 'active',
      visibility: 'public',
      shortname: 'debian-12',
      tags: [],
    });
    expect(debian12.meta).toEqual({
      architecture: 'x86_64',
      hw_disk_bus: 'scsi',
      hw_rng_model: 'virtio',
      hw_scsi_model: 'virtio-scsi',
      hw_watchdog_action: 'reset',
      hypervisor_type: 'qemu',
      os_distro: 'debian',
      os_version: '12',
      os_purpose: 'generic',
      replace_frequency: 'quarterly',
      uuid_validity: 'last-3',
      provided_until: 'none',
    });
    expect(debian12.password).toBeUndefined();
  });

  it('sorts versions naturally, not as written', () => {
    const versions = byName(definitions, 'Garden Linux').versions.map((version) => version.version);
    expect(versions).toEqual(['1592.14', '1592.15', '1592.16', '1877.5', '1877.6', '1877.7', '1877.10']);
  });

  it('reads quoted checksums, passwords and the absence of a shortname', () => {
    const cirros = byName(definitions, 'Cirros');
    expect(cirros.password).toBe('gocubsgo');
    expect(cirros.shortname).toBeUndefined();
    expect(cirros.versions.map((version) => [version.version, version.checksum?.algo, version.build_date])).toEqual([
      ['0.6.2', 'sha256', '2023-05-30'],
      ['0.6.3', 'sha256', '2024-09-26'],
    ]);
    expect(byName(definitions, 'Flatcar Container Linux').versions[0]?.checksum?.algo).toBe('sha512');
  });

  it('loads a single file given directly', () => {
    const single = loadDefinitions(join(catalogue, 'gardenlinux.yml'));
    expect(single.definitions.map((definition) => definition.name)).toEqual(['Garden Linux']);
  });
});
