import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/load.js';
import { rewriteMirrorUrls } from '../../../src/definitions/mirror-urls.js';
import { setVersionKeys } from '../../../src/definitions/set-version-key.js';

const TEXT = `images:
  - name: Demo   # kept
    versions:
      # the old one
      - version: '1.0'
        url: https://example.com/1.0.raw   # upstream
        mirror_url: https://old.example/1.0
        build_date: 2025-01-01
      - url: https://example.com/2.0.raw
        version: "2.0"
`;

describe('setting mirror_url in a version entry', () => {
  it('replaces an existing value and adds a missing one after url, every other byte kept', () => {
    const after = setVersionKeys(TEXT, [
      { image: 0, version: 0, values: [['mirror_url', 'https://m.example/demo/1.0-demo.raw']] },
      { image: 0, version: 1, values: [['mirror_url', 'https://m.example/demo/2.0-demo.raw']] },
    ]);
    expect(after).toBe(
      TEXT.replace('https://old.example/1.0', 'https://m.example/demo/1.0-demo.raw').replace(
        '      - url: https://example.com/2.0.raw\n',
        '      - url: https://example.com/2.0.raw\n        mirror_url: https://m.example/demo/2.0-demo.raw\n',
      ),
    );
  });

  it('writes missing keys in the order given after the last of url and the keys it has', () => {
    const checksum = `sha256:${'c'.repeat(64)}`;
    const after = setVersionKeys(TEXT, [
      {
        image: 0,
        version: 0,
        values: [
          ['mirror_url', 'https://m.example/1.0'],
          ['mirror_checksum', checksum],
        ],
      },
      {
        image: 0,
        version: 1,
        values: [
          ['mirror_url', 'https://m.example/2.0'],
          ['mirror_checksum', checksum],
        ],
      },
    ]);
    expect(after).toBe(
      TEXT.replace(
        '        mirror_url: https://old.example/1.0\n',
        `        mirror_url: https://m.example/1.0\n        mirror_checksum: ${checksum}\n`,
      ).replace(
        '      - url: https://example.com/2.0.raw\n',
        '      - url: https://example.com/2.0.raw\n' +
          `        mirror_url: https://m.example/2.0\n        mirror_checksum: ${checksum}\n`,
      ),
    );
  });

  it('quotes a value that would not read back plain', () => {
    const after = setVersionKeys(TEXT, [{ image: 0, version: 1, values: [['mirror_url', 'https://m.example/a #b']] }]);
    expect(after).toContain("mirror_url: 'https://m.example/a #b'");
  });

  it('rewrites a definition file and refuses one changed since it was read', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-mirror-url-'));
    const file = path.join(dir, 'demo.yml');
    const full = `images:
  - name: Demo
    shortname: demo
    format: raw
    login: demo
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: virtio
      hypervisor_type: qemu
      os_distro: demo
      os_version: '1.0'
      os_purpose: minimal
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '1.0'
        url: https://example.com/1.0.raw
        build_date: 2025-01-01
`;
    writeFileSync(file, full);
    const { definitions, digests } = loadDefinitions(file);
    const definition = definitions[0];
    if (!definition) throw new Error('no definition');
    const set = {
      definition,
      version: definition.versions[0] as never,
      mirrorUrl: 'https://m.example/demo/1.0-demo.raw',
    };
    const rewrite = rewriteMirrorUrls(file, [set], digests.get(file));
    expect(rewrite.after).toContain('        mirror_url: https://m.example/demo/1.0-demo.raw\n        build_date');
    writeFileSync(file, `${full}# changed\n`);
    expect(() => rewriteMirrorUrls(file, [set], digests.get(file))).toThrow(/changed since it was read/);
    expect(readFileSync(file, 'utf8')).toBe(`${full}# changed\n`);
  });
});
