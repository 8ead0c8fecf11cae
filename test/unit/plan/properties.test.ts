import { describe, expect, it } from 'vitest';
import type { VersionDefinition } from '../../../src/definitions/types.js';
import { def, glanceImage, imports, run, TAG, updates, version } from './helpers.js';

const importOf = (d: ReturnType<typeof def>) => {
  const result = run(d, []);
  const action = imports(result).at(-1);
  if (!action) throw new Error('no import');
  return action;
};

describe('plan: the properties an image gets (rule 3)', () => {
  it('writes meta, version overrides and the derived properties, all as strings', () => {
    const d = def({
      login: 'debian',
      tags: ['scs'],
      meta: {
        hw_rng_model: 'virtio',
        hw_vif_multiqueue_enabled: false,
        min_vcpu: 2,
        provided_until: null,
        os_distro: 'debian',
      },
      versions: [
        version('20240301', { build_date: '2024-03-02', meta: { hw_disk_bus: 'virtio', replace_frequency: 'never' } }),
      ],
    });
    const action = importOf(d);
    expect(action.desired.properties).toEqual({
      image_description: 'Ubuntu 24.04',
      architecture: 'x86_64',
      hw_disk_bus: 'virtio',
      hypervisor_type: 'qemu',
      hw_qemu_guest_agent: 'true',
      hw_vif_multiqueue_enabled: 'false',
      hw_rng_model: 'virtio',
      min_vcpu: '2',
      os_distro: 'debian',
      os_version: '24.04',
      os_purpose: 'generic',
      replace_frequency: 'never',
      uuid_validity: 'last-3',
      provided_until: null,
      image_name: 'Ubuntu 24.04',
      internal_version: '20240301',
      image_original_user: 'debian',
      image_source: 'https://images.example.com/img-20240301.qcow2',
      image_build_date: '2024-03-02',
    });
    expect(action.desired.tags).toEqual(['scs', TAG, 'os:debian']);
    expect(action.desired).toMatchObject({ disk_format: 'qcow2', min_disk: 8, min_ram: 512 });
  });

  it.each<[string, Partial<VersionDefinition>, string, string]>([
    ['the url', {}, 'https://images.example.com/img-20240301.qcow2', 'https://images.example.com/img-20240301.qcow2'],
    [
      'the url, not the mirror (which only the import reads)',
      { mirror_url: 'https://mirror.internal/img.qcow2' },
      'https://images.example.com/img-20240301.qcow2',
      'https://mirror.internal/img.qcow2',
    ],
    [
      'source when given',
      { source: 'https://upstream.example.org/img.qcow2', mirror_url: 'https://mirror.internal/img.qcow2' },
      'https://upstream.example.org/img.qcow2',
      'https://mirror.internal/img.qcow2',
    ],
    [
      'file: URLs reduced to the basename',
      { url: 'file:///srv/images/my-image.qcow2' },
      'file:my-image.qcow2',
      'file:///srv/images/my-image.qcow2',
    ],
  ])('publishes as image_source %s', (_, overrides, imageSource, importUrl) => {
    const action = importOf(def({ versions: [version('20240301', overrides)] }));
    expect(action.desired.properties.image_source).toBe(imageSource);
    expect(action.source.from[0].url).toBe(importUrl);
  });

  it('passes the checksum and a fixed id on to the import', () => {
    const action = importOf(def({ versions: [version('20240301', { id: '0b5e1a8c-0000-4000-8000-000000000001' })] }));
    expect(action.source).toEqual({
      from: [{ origin: 'url', url: 'https://images.example.com/img-20240301.qcow2' }],
      checksum: { algo: 'sha256', hex: 'a'.repeat(64) },
      id: '0b5e1a8c-0000-4000-8000-000000000001',
    });
  });

  it.each<[string, Parameters<typeof def>[0], Record<string, string>]>([
    ['image_description defaults to the name', {}, { image_description: 'Ubuntu 24.04', image_name: 'Ubuntu 24.04' }],
    ['image_description from meta', { meta: { image_description: 'Noble' } }, { image_description: 'Noble' }],
    [
      'image_description of the version',
      { meta: { image_description: 'Noble' }, versions: [version('20240301', { image_description: 'Noble, March' })] },
      { image_description: 'Noble, March' },
    ],
    ['image_name from meta', { meta: { image_name: 'ubuntu-noble' } }, { image_name: 'ubuntu-noble' }],
    ['os_version of a multi image from meta', { versions: ['20240301'] }, { os_version: '24.04' }],
    [
      'os_version of a single-version image = its version',
      { multi: false, versions: ['24.04.1'] },
      { os_version: '24.04.1' },
    ],
    [
      'os_version of the version wins',
      { multi: false, versions: [version('24.04.1', { os_version: '24.04' })] },
      { os_version: '24.04', internal_version: '24.04.1' },
    ],
    [
      'version meta overrides',
      { versions: [version('20240301', { meta: { os_purpose: 'k8snode' } })] },
      { os_purpose: 'k8snode' },
    ],
  ])('%s', (_, input, expected) => {
    expect(importOf(def(input)).desired.properties).toMatchObject(expected);
  });

  it('wants a null property absent: removes it from an image that has it', () => {
    const d = def({ versions: ['20240301'], meta: { hw_rng_model: null } });
    const image = { ...glanceImage(d, '20240301'), hw_rng_model: 'virtio' };
    const result = run(d, [image]);
    expect(updates(result).map((a) => a.changes)).toEqual([
      [{ field: 'properties.hw_rng_model', before: 'virtio', after: null }],
    ]);
    // …and never writes the string "None" or "null".
    expect(run(d, [glanceImage(d, '20240301')]).actions).toEqual([]);
  });

  it('a version can null a property of the image', () => {
    const d = def({ versions: [version('20240301', { meta: { replace_frequency: null } })] });
    expect(importOf(d).desired.properties.replace_frequency).toBeNull();
  });

  it('names a property with / in it as it is (the executor escapes it in the patch path)', () => {
    const d = def({ versions: ['20240301'], meta: { 'trait:CUSTOM/X': 'required' } });
    const image = glanceImage(d, '20240301');
    delete image['trait:CUSTOM/X'];
    expect(updates(run(d, [image])).map((a) => a.changes)).toEqual([
      [{ field: 'properties.trait:CUSTOM/X', before: null, after: 'required' }],
    ]);
  });
});
