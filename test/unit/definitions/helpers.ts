import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { DefinitionError } from '../../../src/definitions/errors.js';
import { loadDefinitions, type LoadedDefinitions } from '../../../src/definitions/load.js';

export const SHA256 = 'a'.repeat(64);

/** One valid image entry (as under `images:`), in OIM's format. */
export function imageEntry(name = 'Test Image'): string {
  return `  - name: ${name}
    enable: true
    format: qcow2
    login: ubuntu
    min_disk: 8
    min_ram: 512
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '24.04'
      os_purpose: generic
      replace_frequency: quarterly
      uuid_validity: last-3
      provided_until: none
    tags: []
    versions:
      - version: '20240101'
        url: https://example.com/image-20240101.qcow2
        checksum: sha256:${SHA256}
        build_date: 2024-01-01
`;
}

export function definitionFile(...entries: string[]): string {
  return `images:\n${(entries.length > 0 ? entries : [imageEntry()]).join('')}`;
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in the text`);
  return index + 1;
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
export function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

export class TempDirs {
  private readonly dirs: string[] = [];

  make(files: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'image-definitions-'));
    this.dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  /** Writes `text` as `name` into a new directory and loads that one file. */
  load(text: string, name = 'images.yml'): LoadedDefinitions & { file: string } {
    const file = join(this.make({ [name]: text }), name);
    return { ...loadDefinitions(file), file };
  }

  /** Like load, but expects the DefinitionError. */
  fail(text: string, name = 'images.yml'): DefinitionError & { file: string } {
    const file = join(this.make({ [name]: text }), name);
    return Object.assign(
      expectDefinitionError(() => loadDefinitions(file)),
      { file },
    );
  }

  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export function expectDefinitionError(run: () => unknown): DefinitionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return error as DefinitionError;
  }
  throw new Error('expected a DefinitionError, nothing was thrown');
}
