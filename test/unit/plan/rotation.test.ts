import { describe, expect, it } from 'vitest';
import type { Change, PlanOptions } from '../../../src/plan/types.js';
import { applyToCloud, changeOf, def, glanceImage, imports, kinds, renames, run, updates } from './helpers.js';

const d = def({ versions: ['20240101', '20240201'] });
const v1 = () => glanceImage(d, '20240101', { current: true });

describe('plan: rotation to a new version (rule 5)', () => {
  it('imports v2, then renames v1 away (oldgeneric, in the same request), then v2 to the plain name', () => {
    const old = v1();
    const result = run(d, [old]);
    expect(kinds(result)).toEqual(['import', 'rename', 'rename']);
    const [imported] = imports(result);
    const [away, toPlain] = renames(result);
    expect(imported?.desired).toMatchObject({
      name: 'Ubuntu 24.04 (20240201)',
      visibility: 'public',
      os_hidden: false,
    });
    expect(imported?.desired.properties.os_purpose).toBe('generic');
    expect(away).toMatchObject({
      image: { imageId: old.id, name: 'Ubuntu 24.04' },
      to: 'Ubuntu 24.04 (20240101)',
      after: [1],
    });
    expect(away?.changes).toEqual([
      { field: 'name', before: 'Ubuntu 24.04', after: 'Ubuntu 24.04 (20240101)' },
      { field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' },
    ]);
    expect(toPlain).toMatchObject({ image: { importSeq: 1 }, to: 'Ubuntu 24.04', after: [1, away?.seq] });
  });

  it("changes the old image's role only after the import; its drift is fixed at once", () => {
    const drifted = { ...v1(), hw_disk_bus: 'ide' };
    const result = run(d, [drifted]);
    expect(kinds(result)).toEqual(['import', 'update', 'rename', 'rename']);
    expect(updates(result)).toEqual([
      expect.objectContaining({
        imageId: drifted.id,
        changes: [{ field: 'properties.hw_disk_bus', before: 'ide', after: 'scsi' }],
        after: [],
      }),
    ]);
    const [away] = renames(result);
    expect(changeOf(away?.changes ?? [], 'properties.hw_disk_bus')).toBeUndefined();
    expect(changeOf(away?.changes ?? [], 'properties.os_purpose')).toEqual({
      field: 'properties.os_purpose',
      before: 'generic',
      after: 'oldgeneric',
    });
  });

  it.each<[string, Partial<PlanOptions>, Change[], Array<Change['field']>]>([
    [
      '--hide: community',
      { hide: true },
      [{ field: 'visibility', before: 'public', after: 'community' }],
      ['os_hidden'],
    ],
    [
      '--hide --use-os-hidden: os_hidden, visibility unchanged',
      { hide: true, useOsHidden: true },
      [{ field: 'os_hidden', before: false, after: true }],
      ['visibility'],
    ],
    [
      '--hide --hidden-visibility private',
      { hide: true, hiddenVisibility: 'private' },
      [{ field: 'visibility', before: 'public', after: 'private' }],
      ['os_hidden'],
    ],
    ['no --hide: stays visible', {}, [], ['visibility', 'os_hidden']],
  ])('hides the outdated image with %s', (_, opts, expected, absent) => {
    const old = v1();
    const result = run(d, [old], opts);
    const [away] = renames(result);
    expect(away?.image).toEqual({ imageId: old.id, name: 'Ubuntu 24.04' });
    expect(away?.changes).toEqual(
      expect.arrayContaining([{ field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' }, ...expected]),
    );
    for (const field of absent) expect(changeOf(away?.changes ?? [], field)).toBeUndefined();
    // The new current one stays visible.
    expect(imports(result)[0]?.desired).toMatchObject({ visibility: 'public', os_hidden: false });
    // And once done, the next run has nothing to do.
    expect(run(d, applyToCloud(result, [old]), opts).actions).toEqual([]);
  });

  it('shows a current image that an earlier --use-os-hidden run hid', () => {
    const current = { ...glanceImage(d, '20240201'), os_hidden: true };
    const old = glanceImage(d, '20240101', { os_hidden: true });
    const result = run(d, [old, current], { hide: true, useOsHidden: true });
    expect(result.actions).toEqual([
      expect.objectContaining({
        kind: 'update',
        imageId: current.id,
        changes: [{ field: 'os_hidden', before: true, after: false }],
      }),
    ]);
  });

  it('rotates the previous outdated images along: they keep their names', () => {
    const three = def({ versions: ['20240101', '20240201', '20240301'] });
    const observed = [glanceImage(three, '20240101'), glanceImage(three, '20240201', { current: true })];
    const result = run(three, observed, { hide: true });
    expect(renames(result).map((r) => [r.image, r.to])).toEqual([
      [{ imageId: observed[1]?.id, name: 'Ubuntu 24.04' }, 'Ubuntu 24.04 (20240201)'],
      [{ importSeq: 1, name: 'Ubuntu 24.04 (20240301)' }, 'Ubuntu 24.04'],
    ]);
    // The older outdated one (not yet hidden) is hidden at once: it is outdated whatever the import does.
    expect(updates(result)).toEqual([
      expect.objectContaining({
        imageId: observed[0]?.id,
        changes: [{ field: 'visibility', before: 'public', after: 'community' }],
        after: [],
      }),
    ]);
  });
});
