import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/load.js';
import { SHA256, TempDirs, definitionFile, edit, expectDefinitionError, imageEntry, lineOf } from './helpers.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

const latestVersion = `      - version: latest
        url: https://example.com/current.qcow2
        checksums_url: https://example.com/SHA256SUMS
`;

function withVersion(entry: string, version: string): string {
  return entry + version;
}

describe('required fields', () => {
  it('names file, image, field path and line of a missing meta field', () => {
    const text = edit(definitionFile(), '      os_distro: ubuntu\n', '');
    const error = dirs.fail(text);
    expect(error.issues).toEqual([
      {
        file: error.file,
        line: lineOf(text, 'meta:'),
        image: 'Test Image',
        path: 'images[0].meta.os_distro',
        message: 'required field is missing',
      },
    ]);
    expect(error.message).toContain(
      `${error.file}:${lineOf(text, 'meta:')}: image "Test Image": images[0].meta.os_distro: required field is missing`,
    );
  });

  it('places a missing image field at the image entry', () => {
    const text = edit(definitionFile(), '    multi: true\n', '');
    const [issue] = dirs.fail(text).issues;
    expect(issue).toMatchObject({ path: 'images[0].multi', line: lineOf(text, '- name: Test Image') });
  });

  it('requires hw_disk_bus as a key but lets it be null', () => {
    const withNull = edit(definitionFile(), 'hw_disk_bus: scsi', 'hw_disk_bus: null');
    expect(dirs.load(withNull).definitions[0]?.meta.hw_disk_bus).toBeNull();
    const without = edit(definitionFile(), '      hw_disk_bus: scsi\n', '');
    expect(dirs.fail(without).issues[0]).toMatchObject({
      path: 'images[0].meta.hw_disk_bus',
      message: 'required field is missing',
    });
  });

  it('requires a build_date except for a latest version', () => {
    const text = edit(definitionFile(), '        build_date: 2024-01-01\n', '');
    expect(dirs.fail(text).issues[0]).toMatchObject({ path: 'images[0].versions[0].build_date' });
  });

  it('reports every error of every image and file, in file order', () => {
    let broken = edit(
      definitionFile(imageEntry('One'), imageEntry('Two')),
      'name: Two\n    enable: true',
      'name: Two\n    enable: maybe',
    );
    broken = edit(
      broken,
      'name: One\n    enable: true\n    format: qcow2',
      'name: One\n    enable: true\n    format: qcow9',
    );
    const dir = dirs.make({ 'a.yml': broken, 'b.yml': 'images: []\n', 'c.yml': definitionFile(imageEntry('Three')) });
    const error = expectDefinitionError(() => loadDefinitions(dir));
    expect(error.issues.map((issue) => [issue.file, issue.image, issue.path])).toEqual([
      [join(dir, 'a.yml'), 'One', 'images[0].format'],
      [join(dir, 'a.yml'), 'Two', 'images[1].enable'],
      [join(dir, 'b.yml'), undefined, 'images'],
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
  });
});

describe('enums and values', () => {
  it('names the allowed values of a wrong enum', () => {
    const text = edit(definitionFile(), 'hypervisor_type: qemu', 'hypervisor_type: kvm');
    const [issue] = dirs.fail(text).issues;
    expect(issue).toMatchObject({ path: 'images[0].meta.hypervisor_type', line: lineOf(text, 'hypervisor_type') });
    expect(issue?.message).toBe('must be one of hyperv, ironic, lxc, qemu, uml, vmware, xen; got "kvm"');
  });

  it('accepts os_purpose oldgeneric and rejects an unknown purpose', () => {
    const old = edit(definitionFile(), 'os_purpose: generic', 'os_purpose: oldgeneric');
    expect(dirs.load(old).definitions[0]?.meta.os_purpose).toBe('oldgeneric');
    const bad = edit(definitionFile(), 'os_purpose: generic', 'os_purpose: desktop');
    expect(dirs.fail(bad).issues[0]?.message).toContain('generic, minimal, k8snode, gpu, network, custom');
  });

  it("accepts an os_distro outside OIM's list (a libosinfo or os-release id) silently, and rejects one that is no id", () => {
    const alma = edit(definitionFile(), 'os_distro: ubuntu', 'os_distro: almalinux');
    const { definitions, warnings } = dirs.load(alma);
    expect(definitions[0]?.meta.os_distro).toBe('almalinux');
    expect(warnings).toEqual([]);

    const bad = edit(definitionFile(), 'os_distro: ubuntu', 'os_distro: Alma Linux');
    expect(dirs.fail(bad).issues[0]?.message).toMatch(/lowercase OS id.*ubuntu/);
  });

  it('rejects a negative min_disk and a non-integer min_ram', () => {
    let text = edit(definitionFile(), 'min_disk: 8', 'min_disk: -1');
    text = edit(text, 'min_ram: 512', 'min_ram: 0.5');
    expect(dirs.fail(text).issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['images[0].min_disk', 'must be at least 0, got the number -1'],
      ['images[0].min_ram', 'must be an integer, got the number 0.5'],
    ]);
  });

  it.each([['last-0'], ['last-x'], ['sometimes']])('rejects uuid_validity %s', (value) => {
    const text = edit(definitionFile(), 'uuid_validity: last-3', `uuid_validity: ${value}`);
    const [issue] = dirs.fail(text).issues;
    expect(issue?.path).toBe('images[0].meta.uuid_validity');
    expect(issue?.message).toContain('last-N');
  });

  it.each([
    ['last-1', 'last-1'],
    ['forever', 'forever'],
    ['notice', 'notice'],
    ['2030-06-30', '2030-06-30'],
  ])('accepts uuid_validity %s', (value, expected) => {
    const text = edit(definitionFile(), 'uuid_validity: last-3', `uuid_validity: ${value}`);
    expect(dirs.load(text).definitions[0]?.meta.uuid_validity).toBe(expected);
  });

  it("takes 'none' or a date as provided_until", () => {
    const dated = edit(definitionFile(), 'provided_until: none', 'provided_until: 2027-06-30');
    expect(dirs.load(dated).definitions[0]?.meta.provided_until).toBe('2027-06-30');
    const bad = edit(definitionFile(), 'provided_until: none', 'provided_until: forever');
    expect(dirs.fail(bad).issues[0]?.message).toContain("must be 'none' or a date");
  });
});

describe('checksums', () => {
  function checksumOf(value: string) {
    const text = edit(definitionFile(), `checksum: sha256:${SHA256}`, `checksum: ${value}`);
    return dirs.load(text).definitions[0]?.versions[0]?.checksum;
  }

  it('splits algo:hex and lowercases the algorithm', () => {
    expect(checksumOf(`SHA256:${'b'.repeat(64)}`)).toEqual({ algo: 'sha256', hex: 'b'.repeat(64) });
  });

  it('infers the algorithm of a bare digest from its length', () => {
    expect(checksumOf('c'.repeat(32))).toEqual({ algo: 'md5', hex: 'c'.repeat(32) });
    expect(checksumOf('d'.repeat(40))?.algo).toBe('sha1');
    expect(checksumOf('e'.repeat(128))?.algo).toBe('sha512');
  });

  it.each([
    ['uppercase hex', `sha256:${'A'.repeat(64)}`],
    ['a digest of no known length', `sha256:${'a'.repeat(63)}`],
    ['no digest', 'sha256:'],
    ['a length that does not fit the algorithm', `sha256:${'a'.repeat(128)}`],
  ])('rejects %s', (_, value) => {
    const text = edit(definitionFile(), `checksum: sha256:${SHA256}`, `checksum: '${value}'`);
    const [issue] = dirs.fail(text).issues;
    expect(issue).toMatchObject({ path: 'images[0].versions[0].checksum', line: lineOf(text, 'checksum:') });
  });

  it('warns about a digest algorithm it cannot verify', () => {
    const text = edit(definitionFile(), `checksum: sha256:${SHA256}`, `checksum: blake2s:${SHA256}`);
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.versions[0]?.checksum?.algo).toBe('blake2s');
    expect(warnings[0]?.message).toContain('blake2s');
  });
});

describe('mirror_checksum (the image as its mirror holds it)', () => {
  const withMirrorChecksum = (value: string) =>
    edit(
      definitionFile(),
      `checksum: sha256:${SHA256}`,
      `checksum: sha256:${SHA256}\n        mirror_checksum: '${value}'`,
    );

  it('is read like checksum, with no warning (an unknown key would be one)', () => {
    const { definitions, warnings } = dirs.load(withMirrorChecksum(`SHA256:${'b'.repeat(64)}`));
    expect(definitions[0]?.versions[0]?.mirror_checksum).toEqual({ algo: 'sha256', hex: 'b'.repeat(64) });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['uppercase hex', `sha256:${'A'.repeat(64)}`],
    ['a length that does not fit the algorithm', `sha256:${'a'.repeat(128)}`],
  ])('rejects %s, naming the field and its line', (_, value) => {
    const text = withMirrorChecksum(value);
    const [issue] = dirs.fail(text).issues;
    expect(issue).toMatchObject({
      path: 'images[0].versions[0].mirror_checksum',
      line: lineOf(text, 'mirror_checksum:'),
    });
  });

  it('warns about a digest algorithm it cannot verify', () => {
    const { warnings } = dirs.load(withMirrorChecksum(`blake2s:${SHA256}`));
    expect(warnings[0]).toMatchObject({ path: 'images[0].versions[0].mirror_checksum' });
  });
});

describe('URLs and ids', () => {
  it.each([['ftp://mirror.example.com/x.qcow2'], ['file:///srv/images/x.qcow2'], ['file:x.qcow2']])(
    'accepts url %s',
    (url) => {
      const text = edit(definitionFile(), 'url: https://example.com/image-20240101.qcow2', `url: ${url}`);
      expect(dirs.load(text).definitions[0]?.versions[0]?.url).toBe(url);
    },
  );

  it.each([['www.example.com/x.qcow2'], ['https://'], ['file:/srv/x.qcow2']])('rejects url %s', (url) => {
    const text = edit(definitionFile(), 'url: https://example.com/image-20240101.qcow2', `url: ${url}`);
    expect(dirs.fail(text).issues[0]?.message).toMatch(/^must be an http\(s\):\/\/, ftp\(s\):\/\/ or file: URL/);
  });

  it('takes the optional version fields', () => {
    const text = edit(
      definitionFile(),
      '        build_date: 2024-01-01\n',
      `        build_date: 2024-01-01
        source: private
        hidden: true
        visibility: community
        id: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
        os_version: '24.04.1'
        meta:
          hw_rng_model: virtio
          os_admin_user: ubuntu
`,
    );
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.versions[0]).toMatchObject({
      source: 'private',
      hidden: true,
      visibility: 'community',
      id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      os_version: '24.04.1',
      meta: { hw_rng_model: 'virtio', os_admin_user: 'ubuntu' },
    });
    expect(warnings.map((warning) => warning.path)).toEqual(['images[0].versions[0].meta.os_admin_user']);
  });

  it('rejects an id that is no lowercase UUID and a bad enum in a version meta', () => {
    const text = edit(
      definitionFile(),
      '        build_date: 2024-01-01\n',
      '        build_date: 2024-01-01\n        id: 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0\n        meta:\n          architecture: sparc\n',
    );
    expect(dirs.fail(text).issues.map((issue) => issue.path)).toEqual([
      'images[0].versions[0].id',
      'images[0].versions[0].meta.architecture',
    ]);
  });
});

describe('unknown keys', () => {
  it('warns about an unknown image key with its line, ignores it and still loads', () => {
    const text = edit(definitionFile(), '    multi: true\n', '    multi: true\n    colour: blue\n');
    const { definitions, warnings } = dirs.load(text);
    expect(warnings).toEqual([
      expect.objectContaining({ path: 'images[0].colour', line: lineOf(text, 'colour'), image: 'Test Image' }),
    ]);
    expect(warnings[0]?.message).toContain('"colour"');
    expect(definitions[0]).not.toHaveProperty('colour');
  });

  it('keeps unknown meta keys, as they become image properties', () => {
    const text = edit(
      definitionFile(),
      '      os_distro: ubuntu\n',
      '      os_distro: ubuntu\n      hw_qemu_guest_agent: yes\n      os_type: linux\n',
    );
    const { definitions, warnings } = dirs.load(text);
    expect(definitions[0]?.meta).toMatchObject({ hw_qemu_guest_agent: true, os_type: 'linux' });
    expect(warnings.map((warning) => warning.path)).toEqual([
      'images[0].meta.hw_qemu_guest_agent',
      'images[0].meta.os_type',
    ]);
  });

  it('rejects a map as a meta value', () => {
    const text = edit(
      definitionFile(),
      '      os_distro: ubuntu\n',
      '      os_distro: ubuntu\n      extra:\n        nested: 1\n',
    );
    expect(dirs.fail(text).issues[0]).toMatchObject({ path: 'images[0].meta.extra' });
  });

  it('warns about unknown top-level and version keys', () => {
    const text = `defaults: {}\n${edit(definitionFile(), '        build_date: 2024-01-01\n', '        build_date: 2024-01-01\n        sha: x\n')}`;
    expect(dirs.load(text).warnings.map((warning) => [warning.path, warning.line])).toEqual([
      ['defaults', 1],
      ['images[0].versions[0].sha', lineOf(text, 'sha: x')],
    ]);
  });
});

describe('versions', () => {
  it('rejects a version defined twice in one image', () => {
    const second = `      - version: '20240101'
        url: https://example.com/again.qcow2
        build_date: 2024-01-02
`;
    const text = definitionFile(withVersion(imageEntry(), second));
    const [issue] = dirs.fail(text).issues;
    expect(issue).toMatchObject({ path: 'images[0].versions[1].version', line: lineOf(text, 'again.qcow2') - 1 });
    expect(issue?.message).toContain(`first at line ${lineOf(text, "version: '20240101'")}`);
  });

  it('keeps a latest version, which needs no build_date, after the numbered ones', () => {
    const older = `      - version: '20231231'
        url: https://example.com/image-20231231.qcow2
        build_date: 2023-12-31
`;
    const { definitions } = dirs.load(definitionFile(withVersion(withVersion(imageEntry(), latestVersion), older)));
    expect(definitions[0]?.versions.map((version) => version.version)).toEqual(['20231231', '20240101', 'latest']);
    expect(definitions[0]?.versions[2]).toMatchObject({ checksums_url: 'https://example.com/SHA256SUMS' });
    expect(definitions[0]?.versions[2]?.build_date).toBeUndefined();
  });

  it('requires exactly one of checksums_url and checksum_url for latest', () => {
    const neither = latestVersion.replace('        checksums_url: https://example.com/SHA256SUMS\n', '');
    expect(dirs.fail(definitionFile(withVersion(imageEntry(), neither))).issues[0]?.message).toContain(
      'needs checksums_url or checksum_url',
    );
    const both = `${latestVersion}        checksum_url: https://example.com/image.sha256\n`;
    expect(dirs.fail(definitionFile(withVersion(imageEntry(), both))).issues[0]?.message).toContain('not both');
  });

  it('allows an image without versions', () => {
    const text = definitionFile().replace(/ {4}versions:\n[\s\S]*$/, '    versions: []\n');
    expect(dirs.load(text).definitions[0]?.versions).toEqual([]);
  });
});

describe('image defaults and optional fields', () => {
  it('fills in keep and separator, and takes them when given', () => {
    expect(dirs.load(definitionFile()).definitions[0]).toMatchObject({ keep: false, separator: ' ' });
    const text = edit(definitionFile(), '    multi: true\n', "    multi: true\n    keep: true\n    separator: '-'\n");
    expect(dirs.load(text).definitions[0]).toMatchObject({ keep: true, separator: '-' });
  });

  it('takes outdated_names oim or scs (absent: the run decides), and names the file, line and values when wrong', () => {
    expect(dirs.load(definitionFile()).definitions[0]).not.toHaveProperty('outdated_names');
    const scs = edit(definitionFile(), '    multi: true\n', '    multi: true\n    outdated_names: scs\n');
    const loaded = dirs.load(scs);
    expect(loaded.definitions[0]?.outdated_names).toBe('scs');
    expect(loaded.warnings).toEqual([]);
    const bad = edit(definitionFile(), '    multi: true\n', '    multi: true\n    outdated_names: SCS\n');
    const [issue] = dirs.fail(bad).issues;
    expect(issue).toMatchObject({ path: 'images[0].outdated_names', line: lineOf(bad, 'outdated_names') });
    expect(issue?.message).toBe('must be one of oim, scs; got "SCS"');
  });

  it('treats an optional field set to nothing as absent, as yamale does', () => {
    const text = edit(definitionFile(), '    multi: true\n', '    multi: true\n    password:\n');
    const [definition] = dirs.load(text).definitions;
    expect(definition).not.toHaveProperty('password');
  });

  it('returns enable: false images', () => {
    const text = edit(definitionFile(), 'enable: true', 'enable: false');
    expect(dirs.load(text).definitions[0]?.enable).toBe(false);
  });
});

describe('files and directories', () => {
  it('rejects the same image name in two files, naming both places', () => {
    const second = definitionFile(imageEntry('Other'), imageEntry());
    const dir = dirs.make({ 'a.yml': definitionFile(), 'b.yaml': second });
    const error = expectDefinitionError(() => loadDefinitions(dir));
    expect(error.issues).toEqual([
      {
        file: join(dir, 'b.yaml'),
        line: lineOf(second, '- name: Test Image'),
        image: 'Test Image',
        path: 'images[1].name',
        message: `an image of this name is already defined at ${join(dir, 'a.yml')}:2`,
      },
    ]);
  });

  it('reads only *.yml and *.yaml files, by name, not recursively', () => {
    const dir = dirs.make({
      'b.yaml': definitionFile(imageEntry('B')),
      'a.yml': definitionFile(imageEntry('A')),
      notyaml: 'not: yaml: at all: [',
      'c.yml.orig': 'broken: [',
      'sub/d.yml': definitionFile(imageEntry('D')),
    });
    expect(loadDefinitions(dir).definitions.map((definition) => definition.name)).toEqual(['A', 'B']);
  });

  it('rejects a file without an images list, or with an empty one', () => {
    expect(dirs.fail('other: 1\n').issues[0]?.message).toContain('"images:" list is missing');
    expect(dirs.fail('images: []\n').issues[0]?.message).toContain('"images:" list is empty');
    expect(dirs.fail('').issues[0]?.message).toContain('images:');
  });

  it('names a missing path', () => {
    const missing = join(dirs.make(), 'nowhere');
    const error = expectDefinitionError(() => loadDefinitions(missing));
    expect(error.issues).toEqual([
      { file: missing, path: '', message: expect.stringContaining('no such file or directory') },
    ]);
    expect(error.message).toContain(missing);
  });

  it('rejects a directory without definition files', () => {
    const dir = dirs.make({ 'README.md': '# nothing' });
    expect(expectDefinitionError(() => loadDefinitions(dir)).issues[0]?.message).toContain('no image definition files');
  });
});
