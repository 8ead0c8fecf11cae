import { describe, expect, it } from 'vitest';
import { editVersionLists, type NewVersionEntry } from '../../../src/definitions/edit-versions.js';
import { VersionEditError } from '../../../src/definitions/errors.js';
import { YamlTimestamp } from '../../../src/yaml/pyyaml.js';
import { readYamlTree } from '../../../src/yaml/tree.js';
import { edit, lineOf } from './helpers.js';

/** images/ubuntu.yml as in the repository (two single-version images). */
const UBUNTU = `---
# Ubuntu cloud images (Canonical). Facts: cloud-images.ubuntu.com/releases/<codename>/release-<serial>/
# and that serial's SHA256SUMS; lifecycle: https://ubuntu.com/about/release-cycle. See images/README.md.
images:
  - name: Ubuntu 24.04
    enable: true
    shortname: ubuntu-24.04
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
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hw_watchdog_action: reset
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '24.04'
      os_purpose: generic
      image_description: https://cloud-images.ubuntu.com/releases/noble/
      # Canonical publishes a new release serial every few weeks.
      replace_frequency: monthly
      uuid_validity: last-3
      # End of standard support: April 2029.
      provided_until: 2029-04-30
    tags: []
    versions:
      - version: '20260926'
        url: https://cloud-images.ubuntu.com/releases/noble/release-20260926/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:6a81c37564db9b1ee84e141922625e1d7c5b389b99bb3c572e0243607d5bb4d2
        build_date: 2026-09-26
  - name: Ubuntu 22.04
    enable: true
    shortname: ubuntu-22.04
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
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hw_watchdog_action: reset
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '22.04'
      os_purpose: generic
      image_description: https://cloud-images.ubuntu.com/releases/jammy/
      replace_frequency: monthly
      uuid_validity: last-3
      # End of standard support: April 2027.
      provided_until: 2027-04-30
    tags: []
    versions:
      - version: '20261004'
        url: https://cloud-images.ubuntu.com/releases/jammy/release-20261004/ubuntu-22.04-server-cloudimg-amd64.img
        checksum: sha256:012d81fade7e8ff4428fc35dfeee711d66d1f47d5ea9c5c8ced96a85b959835c
        build_date: 2026-10-04
`;

/** images/cirros.yml as in the repository (one image, ascending versions). */
const CIRROS = `---
# CirrOS test images. Facts: github.com/cirros-dev/cirros releases (same files as download.cirros-cloud.net).
# Each version is its own image ("Cirros 0.6.3"); os_version is set from the version (multi: false).
images:
  - name: Cirros
    enable: true
    shortname: cirros
    format: qcow2
    login: cirros
    password: gocubsgo
    min_disk: 1
    min_ram: 64
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hw_watchdog_action: reset
      hypervisor_type: qemu
      os_distro: cirros
      os_purpose: minimal
      image_description: https://github.com/cirros-dev/cirros
      # A CirrOS release never changes; a new release is a new image.
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '0.6.2'
        url: https://github.com/cirros-dev/cirros/releases/download/0.6.2/cirros-0.6.2-x86_64-disk.img
        checksum: sha256:07e44a73e54c94d988028515403c1ed762055e01b83a767edf3c2b387f78ce00
        build_date: 2023-05-30
      - version: '0.6.3'
        url: https://github.com/cirros-dev/cirros/releases/download/0.6.3/cirros-0.6.3-x86_64-disk.img
        checksum: sha256:7d6355852aeb6dbcd191bcda7cd74f1536cfe5cbf8a10495a7283a8396e4b75b
        build_date: 2024-09-26
`;

const SUM = 'b'.repeat(64);

const NOBLE: NewVersionEntry = {
  version: '20261120',
  url: 'https://cloud-images.ubuntu.com/releases/noble/release-20261120/ubuntu-24.04-server-cloudimg-amd64.img',
  checksum: `sha256:${SUM}`,
  build_date: '2026-11-20',
};

function entry(version: string, build_date = '2026-11-20'): NewVersionEntry {
  return { version, url: `https://example.com/${version}/disk.img`, checksum: `sha256:${SUM}`, build_date };
}

/** The lines of `before` and `after` between their common first and last lines: what a line diff shows. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail])
    tail += 1;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

/** Runs `run`, expecting a VersionEditError whose message starts with `line <line>:`. */
function expectEditError(run: () => unknown, line: number, pattern: RegExp): VersionEditError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VersionEditError);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
    expect((error as Error).message).toMatch(pattern);
    return error as VersionEditError;
  }
  throw new Error('expected a VersionEditError, nothing was thrown');
}

function versionsOf(text: string, image = 0): Array<Record<string, unknown>> {
  const tree = readYamlTree(text);
  expect(tree.errors).toEqual([]);
  const images = (tree.value as { images: Array<{ versions: Array<Record<string, unknown>> }> }).images;
  return images[image]?.versions ?? [];
}

const NOBLE_OLD = `      - version: '20260926'
        url: https://cloud-images.ubuntu.com/releases/noble/release-20260926/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:6a81c37564db9b1ee84e141922625e1d7c5b389b99bb3c572e0243607d5bb4d2
        build_date: 2026-09-26
`;
const NOBLE_NEW = `      - version: '20261120'
        url: https://cloud-images.ubuntu.com/releases/noble/release-20261120/ubuntu-24.04-server-cloudimg-amd64.img
        checksum: sha256:${SUM}
        build_date: 2026-11-20
`;

describe('editVersionLists: single-version definitions', () => {
  it('replaces the only entry and leaves every other byte as it was', () => {
    const output = editVersionLists(UBUNTU, [{ image: 0, remove: [0], insert: { entry: NOBLE, at: 'end' } }]);
    expect(output).toBe(edit(UBUNTU, NOBLE_OLD, NOBLE_NEW));
    const start = UBUNTU.indexOf(NOBLE_OLD);
    expect(output.slice(0, start)).toBe(UBUNTU.slice(0, start));
    expect(output.slice(start + NOBLE_NEW.length)).toBe(UBUNTU.slice(start + NOBLE_OLD.length));
    expect(lineDiff(UBUNTU, output)).toEqual({
      removed: NOBLE_OLD.trimEnd().split('\n'),
      added: NOBLE_NEW.trimEnd().split('\n'),
    });
  });

  it('gives the same result whichever end the entry is inserted at', () => {
    const atStart = editVersionLists(UBUNTU, [{ image: 0, remove: [0], insert: { entry: NOBLE, at: 'start' } }]);
    expect(atStart).toBe(edit(UBUNTU, NOBLE_OLD, NOBLE_NEW));
  });

  it('edits two images of one file in one call', () => {
    const jammy = { ...entry('20261121', '2026-11-21'), url: 'https://example.com/jammy.img' };
    const output = editVersionLists(UBUNTU, [
      { image: 0, remove: [0], insert: { entry: NOBLE, at: 'end' } },
      { image: 1, remove: [0], insert: { entry: jammy, at: 'end' } },
    ]);
    const jammyOld = UBUNTU.slice(UBUNTU.indexOf("      - version: '20261004'"));
    const jammyNew = `      - version: '20261121'
        url: https://example.com/jammy.img
        checksum: sha256:${SUM}
        build_date: 2026-11-21
`;
    expect(output).toBe(edit(edit(UBUNTU, NOBLE_OLD, NOBLE_NEW), jammyOld, jammyNew));
    expect(versionsOf(output, 1)[0]?.version).toBe('20261121');
  });

  it('reads back with the version as text and build_date as a date', () => {
    const output = editVersionLists(UBUNTU, [{ image: 0, remove: [0], insert: { entry: NOBLE, at: 'end' } }]);
    const [version] = versionsOf(output);
    expect(version?.version).toBe('20261120');
    expect(version?.url).toBe(NOBLE.url);
    expect(version?.checksum).toBe(NOBLE.checksum);
    expect(version?.build_date).toBeInstanceOf(YamlTimestamp);
    expect((version?.build_date as YamlTimestamp | undefined)?.date).toBe('2026-11-20');
    expect(readYamlTree(output).warnings).toEqual([]);
  });

  it('keeps a file with CRLF line endings in CRLF', () => {
    const crlf = UBUNTU.replace(/\n/g, '\r\n');
    const output = editVersionLists(crlf, [{ image: 0, remove: [0], insert: { entry: NOBLE, at: 'end' } }]);
    expect(output).toBe(edit(UBUNTU, NOBLE_OLD, NOBLE_NEW).replace(/\n/g, '\r\n'));
    expect(output.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a missing final line break missing', () => {
    const text = UBUNTU.trimEnd();
    const output = editVersionLists(text, [{ image: 1, remove: [0], insert: { entry: NOBLE, at: 'end' } }]);
    expect(output.endsWith('build_date: 2026-11-20')).toBe(true);
    expect(versionsOf(output, 1)[0]?.version).toBe('20261120');
  });
});

describe('editVersionLists: comments', () => {
  const text = `images:
  - name: Commented
    versions:
      # about the list: stays
      - version: '1.0'  # trailing on the first line
        url: https://example.com/1.0.img
        # inside the entry: goes with it
        checksum: sha256:${SUM}
        build_date: 2026-01-01  # trailing on the last line
          # deeper, right after the entry: goes with it
      # before 1.1 at the dash's indentation: stays
      - version: '1.1'
        url: https://example.com/1.1.img
        checksum: sha256:${SUM}
        build_date: 2026-02-01
    # after the list: stays
    tags: []
`;

  it('removes an entry with its own comments and keeps the comments around it', () => {
    const output = editVersionLists(text, [{ image: 0, remove: [0], insert: { entry: entry('1.2'), at: 'end' } }]);
    expect(output).toBe(`images:
  - name: Commented
    versions:
      # about the list: stays
      # before 1.1 at the dash's indentation: stays
      - version: '1.1'
        url: https://example.com/1.1.img
        checksum: sha256:${SUM}
        build_date: 2026-02-01
      - version: '1.2'
        url: https://example.com/1.2/disk.img
        checksum: sha256:${SUM}
        build_date: 2026-11-20
    # after the list: stays
    tags: []
`);
  });

  it('puts the new entry after the last entry, before comments that follow the list', () => {
    const output = editVersionLists(text, [{ image: 0, remove: [], insert: { entry: entry('1.2'), at: 'end' } }]);
    const { removed, added } = lineDiff(text, output);
    expect(removed).toEqual([]);
    expect(added[0]).toBe("      - version: '1.2'");
    expect(output).toContain(`build_date: 2026-11-20\n    # after the list: stays\n`);
  });

  it('inserts at the start right before the first entry, after the comment above it', () => {
    const output = editVersionLists(text, [{ image: 0, remove: [1], insert: { entry: entry('0.9'), at: 'start' } }]);
    expect(output).toContain(`      # about the list: stays\n      - version: '0.9'\n`);
    expect(output).not.toContain("version: '1.1'");
    expect(output).toContain('# before 1.1 at the dash');
    expect(versionsOf(output).map((v) => v.version)).toEqual(['0.9', '1.0']);
  });

  it('keeps blank lines between entries', () => {
    const spaced = edit(text, `      # before 1.1`, `\n      # before 1.1`);
    const output = editVersionLists(spaced, [{ image: 0, remove: [0], insert: { entry: entry('1.2'), at: 'end' } }]);
    expect(output).toContain(`      # about the list: stays\n\n      # before 1.1`);
  });
});

describe('editVersionLists: multi-version lists', () => {
  it('drops the oldest and appends the newest in an ascending list', () => {
    const output = editVersionLists(CIRROS, [
      { image: 0, remove: [0], insert: { entry: entry('0.6.4', '2026-03-01'), at: 'end' } },
    ]);
    const old = CIRROS.slice(CIRROS.indexOf("      - version: '0.6.2'"), CIRROS.indexOf("      - version: '0.6.3'"));
    const added = `      - version: '0.6.4'
        url: https://example.com/0.6.4/disk.img
        checksum: sha256:${SUM}
        build_date: 2026-03-01
`;
    expect(output).toBe(edit(CIRROS, old, '') + added);
    expect(versionsOf(output).map((v) => v.version)).toEqual(['0.6.3', '0.6.4']);
  });

  it('drops the oldest and prepends the newest in a descending list', () => {
    const descending = `images:
  - name: Debian 12
    versions:
      - version: '20261101'
        url: https://example.com/20261101.qcow2
        checksum: sha256:${SUM}
        build_date: 2026-11-01
      - version: '20261001'
        url: https://example.com/20261001.qcow2
        checksum: sha256:${SUM}
        build_date: 2026-10-01
`;
    const output = editVersionLists(descending, [
      { image: 0, remove: [1], insert: { entry: entry('20261201', '2026-12-01'), at: 'start' } },
    ]);
    expect(output).toBe(`images:
  - name: Debian 12
    versions:
      - version: '20261201'
        url: https://example.com/20261201/disk.img
        checksum: sha256:${SUM}
        build_date: 2026-12-01
      - version: '20261101'
        url: https://example.com/20261101.qcow2
        checksum: sha256:${SUM}
        build_date: 2026-11-01
`);
  });

  it('takes the place of the first removed entry at the start, the last one at the end', () => {
    const atStart = editVersionLists(CIRROS, [
      { image: 0, remove: [0, 1], insert: { entry: entry('0.7.0'), at: 'start' } },
    ]);
    const atEnd = editVersionLists(CIRROS, [
      { image: 0, remove: [1, 0], insert: { entry: entry('0.7.0'), at: 'end' } },
    ]);
    expect(atStart).toBe(atEnd);
    expect(versionsOf(atStart).map((v) => v.version)).toEqual(['0.7.0']);
  });
});

describe('editVersionLists: the style of the siblings', () => {
  it('follows OIM ruamel indentation (dash 2 deeper than versions, keys 2 deeper than the dash)', () => {
    const ruamel = `images:
- name: AlmaLinux 9
  format: qcow2
  latest_url:
    https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2
  versions:
    - version: '9.4'
      url: https://example.com/9.4.qcow2
      checksum: sha256:${SUM}
      build_date: 2024-05-01
`;
    const output = editVersionLists(ruamel, [{ image: 0, remove: [0], insert: { entry: entry('9.5'), at: 'end' } }]);
    expect(lineDiff(ruamel, output).added).toEqual([
      "    - version: '9.5'",
      '      url: https://example.com/9.5/disk.img',
      `      checksum: sha256:${SUM}`,
      '      build_date: 2026-11-20',
    ]);
  });

  it('follows a list written at the same indentation as its key', () => {
    const indentless = `images:
  - name: X
    versions:
    - version: '1'
      url: https://example.com/1.img
      checksum: sha256:${SUM}
      build_date: 2024-05-01
    tags: []
`;
    const output = editVersionLists(indentless, [{ image: 0, remove: [], insert: { entry: entry('2'), at: 'end' } }]);
    expect(lineDiff(indentless, output).added[0]).toBe("    - version: '2'");
    expect(versionsOf(output).map((v) => v.version)).toEqual(['1', '2']);
  });

  it('takes double quotes and key order from the sibling next to the new entry', () => {
    const text = `images:
  - name: X
    versions:
      -   version: "1"
          build_date: 2024-05-01
          url: https://example.com/1.img
          checksum: sha256:${SUM}
`;
    const output = editVersionLists(text, [{ image: 0, remove: [], insert: { entry: entry('2'), at: 'end' } }]);
    expect(lineDiff(text, output).added).toEqual([
      '      -   version: "2"',
      '          build_date: 2026-11-20',
      '          url: https://example.com/2/disk.img',
      `          checksum: sha256:${SUM}`,
    ]);
  });

  it('quotes what plain YAML would misread and escapes quotes', () => {
    const odd: NewVersionEntry = {
      version: "it's 1",
      url: 'https://example.com/a b.img',
      checksum: 'yes',
      build_date: '2026-11-20',
    };
    const output = editVersionLists(UBUNTU, [{ image: 0, remove: [0], insert: { entry: odd, at: 'end' } }]);
    expect(lineDiff(UBUNTU, output).added).toEqual([
      "      - version: 'it''s 1'",
      "        url: 'https://example.com/a b.img'",
      "        checksum: 'yes'",
      '        build_date: 2026-11-20',
    ]);
    expect(versionsOf(output)[0]).toMatchObject({
      version: "it's 1",
      url: 'https://example.com/a b.img',
      checksum: 'yes',
    });
  });

  it('escapes a double-quoted version', () => {
    const text = edit(UBUNTU, "version: '20260926'", 'version: "20260926"');
    const output = editVersionLists(text, [
      { image: 0, remove: [0], insert: { entry: entry('say "hi"\\'), at: 'end' } },
    ]);
    expect(output).toContain(String.raw`- version: "say \"hi\"\\"`);
    expect(versionsOf(output)[0]?.version).toBe('say "hi"\\');
  });
});

describe('editVersionLists: versions: []', () => {
  it('turns an empty flow list into a block list holding the new entry', () => {
    const text = edit(UBUNTU, NOBLE_OLD, '').replace(
      '    versions:\n  - name: Ubuntu 22.04',
      '    versions: []\n  - name: Ubuntu 22.04',
    );
    const output = editVersionLists(text, [{ image: 0, remove: [], insert: { entry: NOBLE, at: 'end' } }]);
    expect(output).toBe(edit(UBUNTU, NOBLE_OLD, NOBLE_NEW));
  });

  it('keeps a comment after the empty list on the key line', () => {
    const text = `images:\n  - name: X\n    versions: []  # none yet\n    tags: []\n`;
    const output = editVersionLists(text, [{ image: 0, remove: [], insert: { entry: entry('1'), at: 'start' } }]);
    expect(output).toBe(`images:
  - name: X
    versions:  # none yet
      - version: '1'
        url: https://example.com/1/disk.img
        checksum: sha256:${SUM}
        build_date: 2026-11-20
    tags: []
`);
  });
});

describe('editVersionLists: the entries it keeps', () => {
  it('keeps a value on the line after its key, a quoted value and its comment as written', () => {
    const text = `images:
  - name: X
    versions:
      - version: '1'
        url:
          https://example.com/old/a-very-long-path/image.qcow2
        checksum: 'sha256:${'a'.repeat(64)}'  # quoted on purpose
        build_date: 2024-05-01
      - version: '2'
        url: "https://example.com/2.img"
        checksum: sha256:${'a'.repeat(64)}
        build_date: 2024-06-01
`;
    const output = editVersionLists(text, [{ image: 0, remove: [1], insert: { entry: entry('3'), at: 'end' } }]);
    expect(output).toBe(`images:
  - name: X
    versions:
      - version: '1'
        url:
          https://example.com/old/a-very-long-path/image.qcow2
        checksum: 'sha256:${'a'.repeat(64)}'  # quoted on purpose
        build_date: 2024-05-01
      - version: '3'
        url: https://example.com/3/disk.img
        checksum: sha256:${SUM}
        build_date: 2026-11-20
`);
    expect(versionsOf(output)[0]?.url).toBe('https://example.com/old/a-very-long-path/image.qcow2');
  });

  it('keeps the remaining entries and their values alongside a removal and an insertion at the start', () => {
    const output = editVersionLists(CIRROS, [
      { image: 0, remove: [0], insert: { entry: entry('0.7.0'), at: 'start' } },
    ]);
    expect(versionsOf(output).map((v) => [v.version, v.url])).toEqual([
      ['0.7.0', 'https://example.com/0.7.0/disk.img'],
      ['0.6.3', 'https://github.com/cirros-dev/cirros/releases/download/0.6.3/cirros-0.6.3-x86_64-disk.img'],
    ]);
  });

  it('removes an entry holding a folded value', () => {
    const text = edit(
      CIRROS,
      'url: https://github.com/cirros-dev/cirros/releases/download/0.6.3/',
      'url: >-\n          https://github.com/cirros-dev/cirros/releases/download/0.6.3/',
    );
    const output = editVersionLists(text, [{ image: 0, remove: [1], insert: { entry: entry('0.6.4'), at: 'end' } }]);
    expect(output).not.toContain('url: >-');
    expect(versionsOf(output).map((v) => v.version)).toEqual(['0.6.2', '0.6.4']);
  });
});

describe('editVersionLists: shapes it refuses', () => {
  it('refuses a flow list with entries', () => {
    const text = `images:\n  - name: X\n    versions: [{version: '1', url: u}]\n`;
    expectEditError(() => editVersionLists(text, [{ image: 0, remove: [0] }]), 3, /flow-style/);
  });

  it('refuses an alias for the list and an anchor on it', () => {
    const aliased = `images:\n  - name: X\n    versions: &v\n      - version: '1'\n  - name: Y\n    versions: *v\n`;
    expectEditError(() => editVersionLists(aliased, [{ image: 1, remove: [0] }]), 6, /alias/);
    expectEditError(() => editVersionLists(aliased, [{ image: 0, remove: [0] }]), 3, /anchor/);
  });

  it('refuses an anchor on an entry it would change, not on others', () => {
    const text = edit(CIRROS, "      - version: '0.6.2'", "      - &old\n        version: '0.6.2'");
    expectEditError(
      () => editVersionLists(text, [{ image: 0, remove: [0] }]),
      lineOf(text, '- &old'),
      /anchors and aliases/,
    );
    const output = editVersionLists(text, [{ image: 0, remove: [1], insert: { entry: entry('0.6.4'), at: 'end' } }]);
    expect(versionsOf(output).map((v) => v.version)).toEqual(['0.6.2', '0.6.4']);
  });

  it('refuses indices that do not exist', () => {
    expectEditError(
      () => editVersionLists(UBUNTU, [{ image: 2, remove: [0] }]),
      lineOf(UBUNTU, '- name: Ubuntu 24.04'),
      /no entry 2/,
    );
    expectEditError(
      () => editVersionLists(CIRROS, [{ image: 0, remove: [2] }]),
      lineOf(CIRROS, "- version: '0.6.2'"),
      /cannot remove entry 2/,
    );
    expectEditError(
      () => editVersionLists(CIRROS, [{ image: 0, remove: [-1] }]),
      lineOf(CIRROS, "- version: '0.6.2'"),
      /cannot remove entry -1/,
    );
  });

  it('refuses a missing versions key, emptying a list, and editing one image twice', () => {
    const text = edit(UBUNTU, `    versions:\n${NOBLE_OLD}`, '');
    expectEditError(
      () => editVersionLists(text, [{ image: 0, remove: [] }]),
      lineOf(text, 'Ubuntu 24.04'),
      /no `versions:` key/,
    );
    expectEditError(
      () => editVersionLists(UBUNTU, [{ image: 0, remove: [0] }]),
      lineOf(UBUNTU, "'20260926'"),
      /every entry/,
    );
    expectEditError(
      () =>
        editVersionLists(UBUNTU, [
          { image: 1, remove: [] },
          { image: 1, remove: [] },
        ]),
      lineOf(UBUNTU, '- name: Ubuntu 24.04'),
      /edited twice/,
    );
  });

  it('refuses text that is not valid YAML, naming the line', () => {
    const text = edit(UBUNTU, '    shortname: ubuntu-24.04\n', '    shortname: ubuntu-24.04\n   format: qcow2\n');
    expectEditError(
      () => editVersionLists(text, [{ image: 0, remove: [] }]),
      lineOf(text, '   format: qcow2'),
      /not valid YAML/,
    );
  });

  it('leaves the text alone when nothing is asked', () => {
    expect(editVersionLists(UBUNTU, [])).toBe(UBUNTU);
    expect(editVersionLists(UBUNTU, [{ image: 0, remove: [] }])).toBe(UBUNTU);
  });
});
