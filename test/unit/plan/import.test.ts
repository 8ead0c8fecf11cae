import { describe, expect, it } from 'vitest';
import {
  applyToCloud,
  def,
  glanceImage,
  imports,
  kinds,
  noteTexts,
  renames,
  run,
  updates,
  waitsFor,
} from './helpers.js';

describe('plan: imports (rule 2)', () => {
  const abc = def({ versions: ['20240101', '20240201', '20240301'] });

  it('imports every version into an empty cloud, the newest under the plain name: no rename', () => {
    const result = run(abc, []);
    expect(kinds(result)).toEqual(['import', 'import', 'import']);
    const [a, b, c] = imports(result);
    expect([a, b, c].map((i) => i?.desired.name)).toEqual([
      'Ubuntu 24.04 (20240101)',
      'Ubuntu 24.04 (20240201)',
      'Ubuntu 24.04',
    ]);
    expect([a, b, c].map((i) => i?.source.from[0].url)).toEqual([
      'https://images.example.com/img-20240101.qcow2',
      'https://images.example.com/img-20240201.qcow2',
      'https://images.example.com/img-20240301.qcow2',
    ]);
    // The newest is the current one: generic, the definition's visibility, not hidden, active.
    expect(c?.desired).toMatchObject({ visibility: 'public', os_hidden: false, status: 'active' });
    expect(c?.desired.properties.os_purpose).toBe('generic');
    expect([a, b].map((i) => i?.desired.properties.os_purpose)).toEqual(['oldgeneric', 'oldgeneric']);
    expect(renames(result)).toEqual([]);
  });

  it('takes the definition visibility for the import (the importer creates it private first)', () => {
    const result = run(def({ visibility: 'community', versions: ['20240101'] }), []);
    expect(imports(result)[0]?.desired.visibility).toBe('community');
  });

  it('imports only the newest version with --latest, noting the others', () => {
    const result = run(abc, [], { latest: true });
    expect(kinds(result)).toEqual(['import']);
    expect(imports(result)[0]?.desired).toMatchObject({ name: 'Ubuntu 24.04', version: '20240301' });
    const notes = noteTexts(result).join('\n');
    expect(notes).toMatch(/20240101 not imported/);
    expect(notes).toMatch(/20240201 not imported/);
  });

  it('does not import a missing version older than one that exists (OIM would re-import it)', () => {
    const observed = [glanceImage(abc, '20240201', { current: false }), glanceImage(abc, '20240301')];
    const result = run(abc, observed);
    expect(result.actions).toEqual([]);
    expect(noteTexts(result).join('\n')).toMatch(/20240101 not imported: the newer version 20240301 exists/);
  });

  it('imports a missing version newer than every existing one', () => {
    const observed = [
      glanceImage(abc, '20240101', { current: false }),
      glanceImage(abc, '20240201', { current: true }),
    ];
    const result = run(abc, observed);
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04 (20240301)']);
  });

  it('imports the new version of a single-version multi image and rotates the names in order', () => {
    const before = def({ versions: ['20240101'] });
    const after = def({ versions: ['20240201'] });
    const old = glanceImage(before, '20240101');
    expect(old.name).toBe('Ubuntu 24.04');
    const result = run(after, [old]);
    expect(kinds(result)).toEqual(['import', 'rename', 'rename']);
    const [imported] = imports(result);
    const [away, toPlain] = renames(result);
    expect(imported?.desired.name).toBe('Ubuntu 24.04 (20240201)');
    // Nothing happens to the old image before its successor is in.
    expect(updates(result)).toEqual([]);
    expect(away).toMatchObject({ image: { imageId: old.id }, to: 'Ubuntu 24.04 (20240101)', after: [imported?.seq] });
    expect(away?.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: 'Ubuntu 24.04', after: 'Ubuntu 24.04 (20240101)' },
        { field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' },
      ]),
    );
    expect(toPlain).toMatchObject({ image: { importSeq: imported?.seq }, to: 'Ubuntu 24.04' });
    expect(toPlain?.after).toEqual([imported?.seq, away?.seq]);
  });

  it.each([
    ['last-3', {}],
    ['last-3 with --hide', { hide: true }],
    ['none with --hide --deactivate', { hide: true, deactivate: true }],
    ['none with --delete', { delete: true }],
  ])('rotates a single-version multi image to a state the next run leaves alone (%s)', (label, opts) => {
    const validity = label.startsWith('none') ? 'none' : 'last-3';
    const before = def({ versions: ['20240101'], meta: { uuid_validity: validity } });
    const after = def({ versions: ['20240201'], meta: { uuid_validity: validity } });
    const old = { ...glanceImage(before, '20240101'), tags: ['managed_by_osism', 'legacy'] };
    const result = run(after, [old], opts);
    // Whatever happens to the old image happens after the import.
    for (const action of result.actions.filter((a) => a.kind !== 'import'))
      expect(waitsFor(result, action, 1)).toBe(true);
    const cloud = applyToCloud(result, [old]);
    expect(cloud.filter((i) => i.name === 'Ubuntu 24.04').map((i) => i.internal_version)).toEqual(['20240201']);
    expect(run(after, cloud, opts).actions).toEqual([]);
  });

  it.each([
    ['an empty cloud', [] as string[]],
    ['the oldest version present', ['20240101']],
    ['two versions present', ['20240101', '20240201']],
  ])('reaches a state the next run leaves alone, from %s', (_, present) => {
    const observed = present.map((v, i) => glanceImage(abc, v, { current: i === present.length - 1 }));
    const cloud = applyToCloud(run(abc, observed), observed);
    expect(cloud.map((i) => i.name).sort()).toEqual([
      'Ubuntu 24.04',
      'Ubuntu 24.04 (20240101)',
      'Ubuntu 24.04 (20240201)',
    ]);
    expect(run(abc, cloud).actions).toEqual([]);
  });
});
