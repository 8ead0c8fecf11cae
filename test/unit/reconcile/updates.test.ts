import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { UpdateAction } from '../../../src/reconcile/types.js';
import { applyToCloud, def, glanceImage, run, TAG, updates } from './helpers.js';

const d = def({ versions: ['20240101', '20240201'], tags: ['scs'] });
const cloud = () => [glanceImage(d, '20240101'), glanceImage(d, '20240201')];

describe('plan: updates of existing images (rule 4)', () => {
  it('makes no change to images that match the definition', () => {
    const result = run(d, cloud());
    expect(result.actions).toEqual([]);
  });

  type Case = [string, (image: GlanceImage) => GlanceImage, Partial<UpdateAction>, ImageDefinition?];
  it.each<Case>([
    ['an edited meta value', (i) => ({ ...i, hw_disk_bus: 'virtio' }), { patch: [{ op: 'add', path: '/hw_disk_bus', value: 'scsi' }] }],
    ['a missing property', (i) => ({ ...i, hypervisor_type: undefined }), { patch: [{ op: 'add', path: '/hypervisor_type', value: 'qemu' }] }],
    ['another min_ram', (i) => ({ ...i, min_ram: 1024 }), { patch: [{ op: 'replace', path: '/min_ram', value: 512 }] }],
    ['another min_disk', (i) => ({ ...i, min_disk: 4 }), { patch: [{ op: 'replace', path: '/min_disk', value: 8 }] }],
    ['a missing tag', (i) => ({ ...i, tags: i.tags.filter((t) => t !== 'os:ubuntu') }), { patch: [], addTags: ['os:ubuntu'] }],
    ['an extra tag', (i) => ({ ...i, tags: [...i.tags, 'stale'] }), { patch: [], removeTags: ['stale'] }],
    ['another visibility', (i) => ({ ...i, visibility: 'private' }), { patch: [{ op: 'replace', path: '/visibility', value: 'public' }] }],
    ['os_hidden set', (i) => ({ ...i, os_hidden: true }), { patch: [{ op: 'replace', path: '/os_hidden', value: false }] }],
    ['a deactivated image the definition wants active', (i) => ({ ...i, status: 'deactivated' }), { patch: [], statusChange: 'reactivate' }],
    [
      'an active image the definition wants deactivated',
      (i) => i,
      { patch: [], statusChange: 'deactivate' },
      def({ versions: ['20240101', '20240201'], tags: ['scs'], status: 'deactivated' }),
    ],
  ])('updates the current image for %s', (_, alter, expected, definition = d) => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const changed = alter(current);
    if (changed.hypervisor_type === undefined) delete changed.hypervisor_type;
    const result = run(definition, [outdated, changed]);
    expect(result.actions).toHaveLength(1);
    expect(result.actions[0]).toMatchObject({ kind: 'update', imageId: current.id, addTags: [], removeTags: [], after: [], ...expected });
    if (!expected.statusChange) expect(result.actions[0]).not.toHaveProperty('statusChange');
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
    expect(update?.patch).toHaveLength(3);
    expect(update?.patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/min_ram', value: 512 },
        { op: 'replace', path: '/visibility', value: 'public' },
        { op: 'add', path: '/hw_disk_bus', value: 'scsi' },
      ]),
    );
    expect(update).toMatchObject({ addTags: ['os:ubuntu'], removeTags: ['legacy'], statusChange: 'reactivate' });
    // Applied, the next run has nothing to do.
    expect(run(d, applyToCloud(result, [outdated, drifted])).actions).toEqual([]);
  });

  it('updates an outdated image to the definition too (it stays oldgeneric and keeps its name)', () => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const result = run(d, [{ ...outdated, hw_disk_bus: 'ide' }, current]);
    expect(updates(result)).toEqual([
      expect.objectContaining({ imageId: outdated.id, patch: [{ op: 'add', path: '/hw_disk_bus', value: 'scsi' }] }),
    ]);
  });

  it('raises min_disk to what the stored image needs, with a warning', () => {
    const [outdated, current] = cloud() as [GlanceImage, GlanceImage];
    const big = { ...current, virtual_size: 10 * 1024 ** 3 + 1 };
    const result = run(d, [outdated, big]);
    expect(updates(result).map((a) => a.patch)).toEqual([[{ op: 'replace', path: '/min_disk', value: 11 }]]);
    expect(result.notes.filter((n) => n.level === 'warn')).toEqual([
      expect.objectContaining({ image: 'Ubuntu 24.04', message: expect.stringMatching(/min_disk 8 is too small.*11/) }),
    ]);
    expect(run(d, [outdated, { ...big, min_disk: 11 }]).actions).toEqual([]);
  });
});
