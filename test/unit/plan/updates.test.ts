import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { Change, UpdateAction } from '../../../src/plan/types.js';
import { applyToCloud, def, glanceImage, run, TAG, updates } from './helpers.js';

const d = def({ versions: ['20240101', '20240201'], tags: ['scs'] });
const cloud = () => [glanceImage(d, '20240101'), glanceImage(d, '20240201')];

describe('plan: updates of existing images (rule 4)', () => {
  it('makes no change to images that match the definition', () => {
    const result = run(d, cloud());
    expect(result.actions).toEqual([]);
  });

  type Case = [string, (image: GlanceImage) => GlanceImage, Change[], ImageDefinition?];
  const tags = ['scs', TAG, 'os:ubuntu'];
  it.each<Case>([
    [
      'an edited meta value',
      (i) => ({ ...i, hw_disk_bus: 'virtio' }),
      [{ field: 'properties.hw_disk_bus', before: 'virtio', after: 'scsi' }],
    ],
    [
      'a missing property',
      (i) => ({ ...i, hypervisor_type: undefined }),
      [{ field: 'properties.hypervisor_type', before: null, after: 'qemu' }],
    ],
    ['another min_ram', (i) => ({ ...i, min_ram: 1024 }), [{ field: 'min_ram', before: 1024, after: 512 }]],
    ['another min_disk', (i) => ({ ...i, min_disk: 4 }), [{ field: 'min_disk', before: 4, after: 8 }]],
    [
      'a missing tag',
      (i) => ({ ...i, tags: i.tags.filter((t) => t !== 'os:ubuntu') }),
      [{ field: 'tags', before: ['scs', TAG], after: tags }],
    ],
    [
      'an extra tag',
      (i) => ({ ...i, tags: [...i.tags, 'stale'] }),
      [{ field: 'tags', before: [...tags, 'stale'], after: tags }],
    ],
    [
      'another visibility',
      (i) => ({ ...i, visibility: 'private' }),
      [{ field: 'visibility', before: 'private', after: 'public' }],
    ],
    ['os_hidden set', (i) => ({ ...i, os_hidden: true }), [{ field: 'os_hidden', before: true, after: false }]],
    [
      'a deactivated image the definition wants active',
      (i) => ({ ...i, status: 'deactivated' }),
      [{ field: 'status', before: 'deactivated', after: 'active' }],
    ],
    [
      'an active image the definition wants deactivated',
      (i) => i,
      [{ field: 'status', before: 'active', after: 'deactivated' }],
      def({ versions: ['20240101', '20240201'], tags: ['scs'], status: 'deactivated' }),
    ],
  ])('updates the current image for %s', (_, alter, expected, definition = d) => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const changed = alter(current);
    if (changed.hypervisor_type === undefined) delete changed.hypervisor_type;
    const result = run(definition, [outdated, changed]);
    expect(result.actions).toHaveLength(1);
    // Exactly these changes: no other field, no tag call, no status change.
    expect(result.actions[0]).toMatchObject({ kind: 'update', imageId: current.id, after: [] });
    expect((result.actions[0] as UpdateAction).changes).toEqual(expected);
  });

  it('puts every change of an image into one update', () => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const drifted: GlanceImage = {
      ...current,
      hw_disk_bus: 'ide',
      min_ram: 128,
      visibility: 'shared',
      status: 'deactivated',
      tags: ['scs', TAG, 'legacy'],
    };
    const result = run(d, [outdated, drifted]);
    expect(updates(result)).toHaveLength(1);
    const [update] = updates(result);
    expect(update?.changes).toHaveLength(5);
    expect(update?.changes).toEqual(
      expect.arrayContaining([
        { field: 'min_ram', before: 128, after: 512 },
        { field: 'visibility', before: 'shared', after: 'public' },
        { field: 'properties.hw_disk_bus', before: 'ide', after: 'scsi' },
        // Tags: os:ubuntu added, legacy removed.
        { field: 'tags', before: ['scs', TAG, 'legacy'], after: ['scs', TAG, 'os:ubuntu'] },
        { field: 'status', before: 'deactivated', after: 'active' },
      ]),
    );
    // Applied, the next run has nothing to do.
    expect(run(d, applyToCloud(result, [outdated, drifted])).actions).toEqual([]);
  });

  it('updates an outdated image to the definition too (it stays oldgeneric and keeps its name)', () => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const result = run(d, [{ ...outdated, hw_disk_bus: 'ide' }, current]);
    expect(updates(result)).toEqual([
      expect.objectContaining({
        imageId: outdated.id,
        changes: [{ field: 'properties.hw_disk_bus', before: 'ide', after: 'scsi' }],
      }),
    ]);
  });

  it('raises min_disk to what the stored image needs, with a warning', () => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const big = { ...current, virtual_size: 10 * 1024 ** 3 + 1 };
    const result = run(d, [outdated, big]);
    expect(updates(result).map((a) => a.changes)).toEqual([[{ field: 'min_disk', before: 8, after: 11 }]]);
    expect(result.notes.filter((n) => n.level === 'warn')).toEqual([
      expect.objectContaining({ image: 'Ubuntu 24.04', message: expect.stringMatching(/min_disk 8 is too small.*11/) }),
    ]);
    expect(run(d, [outdated, { ...big, min_disk: 11 }]).actions).toEqual([]);
  });
});
