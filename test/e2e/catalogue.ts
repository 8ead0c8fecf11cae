import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export interface VersionSpec {
  version: string;
  url: string;
  checksum?: string;
  build_date: string;
}

export interface ImageSpec {
  name: string;
  multi: boolean;
  versions: VersionSpec[];
  meta?: Record<string, unknown>;
  min_ram?: number;
  visibility?: string;
}

/** A definition in OIM's format, as an operator would write it. */
export function definition(spec: ImageSpec): Record<string, unknown> {
  return {
    name: spec.name,
    enable: true,
    format: 'qcow2',
    login: 'ubuntu',
    min_disk: 1,
    min_ram: spec.min_ram ?? 512,
    status: 'active',
    visibility: spec.visibility ?? 'public',
    multi: spec.multi,
    meta: {
      architecture: 'x86_64',
      hw_disk_bus: 'scsi',
      hw_rng_model: 'virtio',
      hw_scsi_model: 'virtio-scsi',
      hypervisor_type: 'qemu',
      os_distro: 'ubuntu',
      os_version: '24.04',
      os_purpose: 'generic',
      replace_frequency: 'never',
      uuid_validity: 'last-2',
      provided_until: 'none',
      ...spec.meta,
    },
    tags: [],
    versions: spec.versions.map((v) => ({ ...v })),
  };
}

/** Writes a catalogue folder with one file and returns its path. */
export function writeCatalogue(
  images: Array<Record<string, unknown>>,
  dir = mkdtempSync(path.join(os.tmpdir(), 'im-cat-')),
): string {
  writeFileSync(path.join(dir, 'images.yml'), `---\n${stringify({ images }, { version: '1.1', lineWidth: 200 })}`);
  return dir;
}
