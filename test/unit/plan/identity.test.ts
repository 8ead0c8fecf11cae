import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { def, glanceImage, imports, renames, run, TAG, touched, updates, without } from './helpers.js';

const ubuntu = def({ versions: ['20240101', '20240201'] });
const LEGACY = ['image_name', 'internal_version'];

describe('plan: which images are ours (rule 1)', () => {
  it('leaves an up-to-date managed cloud alone', () => {
    const observed = [glanceImage(ubuntu, '20240101'), glanceImage(ubuntu, '20240201')];
    expect(observed.map((i) => i.name)).toEqual(['Ubuntu 24.04 (20240101)', 'Ubuntu 24.04']);
    expect(run(ubuntu, observed).actions).toEqual([]);
  });

  it.each<[string, (image: GlanceImage) => GlanceImage]>([
    ['without the managed tag', (image) => ({ ...image, tags: image.tags.filter((t) => t !== TAG) })],
    ['of another project, private', (image) => ({ ...image, owner: 'project-other', visibility: 'private' })],
    ['of another project, shared', (image) => ({ ...image, owner: 'project-other', visibility: 'shared' })],
    ['of another project, community', (image) => ({ ...image, owner: 'project-other', visibility: 'community' })],
  ])('ignores an image %s: it is neither touched nor counted as present', (_, alter) => {
    // Exact names and stale properties: were it ours it would be updated, and its version not imported.
    const stranger = [
      alter({ ...glanceImage(ubuntu, '20240201'), min_ram: 1, hw_disk_bus: 'ide' }),
      alter({ ...glanceImage(ubuntu, '20240101'), min_ram: 1 }),
    ];
    const result = run(ubuntu, stranger);
    expect(touched(result)).toEqual([]);
    // No image of ours holds the plain name: the current version is created under it (rule 2).
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04 (20240101)', 'Ubuntu 24.04']);
    expect(renames(result)).toEqual([]);
  });

  it('treats a tagged public image of another project as ours (as OIM does)', () => {
    const image = { ...glanceImage(ubuntu, '20240201'), owner: 'project-other', min_ram: 1 };
    const result = run(def({ versions: ['20240201'] }), [image]);
    expect(imports(result)).toEqual([]);
    expect(updates(result).map((a) => [a.imageId, a.changes])).toEqual([
      [image.id, [{ field: 'min_ram', before: 1, after: 512 }]],
    ]);
  });

  it('goes by image_name and internal_version before the name', () => {
    const debian = def({ name: 'Debian 12', versions: ['12.5'], meta: { os_distro: 'debian', os_version: '12' } });
    // Named like an Ubuntu version, but written for Debian 12.5.
    const misnamed = { ...glanceImage(debian, '12.5'), name: 'Ubuntu 24.04 (20240101)' };
    const result = run([ubuntu, debian], [misnamed]);
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04 (20240101)', 'Ubuntu 24.04']);
    expect(
      renames(result)
        .filter((a) => a.definition === 'Debian 12')
        .map((a) => [a.image, a.to]),
    ).toEqual([[{ imageId: misnamed.id, name: 'Ubuntu 24.04 (20240101)' }, 'Debian 12']]);
  });

  it('takes the version from internal_version, not from the name', () => {
    // Named as 20240101 but holding 20240201: 20240201 is present, 20240101 is older and not imported.
    const image = { ...glanceImage(ubuntu, '20240201'), name: 'Ubuntu 24.04 (20240101)' };
    const result = run(ubuntu, [image]);
    expect(imports(result)).toEqual([]);
    expect(renames(result).map((a) => [a.image, a.to])).toEqual([
      [{ imageId: image.id, name: 'Ubuntu 24.04 (20240101)' }, 'Ubuntu 24.04'],
    ]);
  });

  describe('images written before the properties existed', () => {
    it('recognises NAME (V) of a multi image', () => {
      const legacy = without(glanceImage(ubuntu, '20240101'), ...LEGACY);
      const result = run(def({ versions: ['20240101'] }), [legacy]);
      expect(imports(result)).toEqual([]);
      const rename = renames(result);
      expect(rename.map((a) => [a.image, a.to])).toEqual([
        [{ imageId: legacy.id, name: 'Ubuntu 24.04 (20240101)' }, 'Ubuntu 24.04'],
      ]);
      expect(rename[0]?.changes).toEqual(
        expect.arrayContaining([
          { field: 'properties.internal_version', before: null, after: '20240101' },
          { field: 'properties.image_name', before: null, after: 'Ubuntu 24.04' },
          { field: 'properties.os_purpose', before: 'oldgeneric', after: 'generic' },
        ]),
      );
    });

    it('recognises NAME V of a single-version image', () => {
      const cirros = def({
        name: 'Cirros',
        multi: false,
        versions: ['0.6.2'],
        meta: { os_distro: 'cirros', os_version: '0.6' },
      });
      const legacy = without(glanceImage(cirros, '0.6.2'), ...LEGACY);
      expect(legacy.name).toBe('Cirros 0.6.2');
      const result = run(cirros, [legacy]);
      expect(imports(result)).toEqual([]);
      expect(updates(result).map((a) => [a.imageId, a.changes])).toEqual([
        [
          legacy.id,
          [
            { field: 'properties.image_name', before: null, after: 'Cirros' },
            { field: 'properties.internal_version', before: null, after: '0.6.2' },
          ],
        ],
      ]);
    });

    it.each<[string, (image: GlanceImage) => GlanceImage]>([
      ['its internal_version', (image) => without(image, 'image_name')],
      ['the day it was created', (image) => ({ ...without(image, ...LEGACY), created_at: '2024-01-01T08:00:00Z' })],
    ])('recognises the plain NAME of a multi image by %s', (_, alter) => {
      const old = alter(glanceImage(ubuntu, '20240101', { current: true }));
      expect(old.name).toBe('Ubuntu 24.04');
      const result = run(ubuntu, [old]);
      expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04 (20240201)']);
      expect(renames(result).map((a) => [a.image, a.to])).toEqual([
        [{ imageId: old.id, name: 'Ubuntu 24.04' }, 'Ubuntu 24.04 (20240101)'],
        [{ importSeq: 1, name: 'Ubuntu 24.04 (20240201)' }, 'Ubuntu 24.04'],
      ]);
    });
  });

  it('never touches images of a definition that is not selected', () => {
    const debian = def({
      name: 'Debian 12',
      versions: ['12.4', '12.5'],
      meta: { os_distro: 'debian', uuid_validity: 'none' },
    });
    const others = [
      glanceImage(debian, '12.1', { min_ram: 1 }),
      without(glanceImage(debian, '12.2'), ...LEGACY),
      glanceImage(debian, '12.4'),
      { ...glanceImage(debian, '12.5'), hw_disk_bus: 'ide' },
    ];
    const result = run(ubuntu, others, { delete: true, deactivate: true, hide: true });
    expect(touched(result)).toEqual([]);
    expect(imports(result)).toHaveLength(2);
  });

  it('never touches a managed image with an unknown image_name, even if the name fits', () => {
    const foreign = { ...glanceImage(ubuntu, '20230101'), image_name: 'Something else' };
    expect(foreign.name).toBe('Ubuntu 24.04 (20230101)');
    const result = run(def({ versions: ['20240201'], meta: { uuid_validity: 'none' } }), [foreign], { delete: true });
    expect(touched(result)).toEqual([]);
  });
});
