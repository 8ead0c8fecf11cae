import { describe, expect, it } from 'vitest';
import { asCreated, createRequest } from '../../../src/plan/new-image.js';
import type { Change, ImportAction, Plan } from '../../../src/plan/types.js';
import {
  applyToCloud,
  def,
  glanceImage,
  imports,
  kinds,
  renames,
  run,
  TAG,
  updates,
  version,
  waitsFor,
} from './helpers.js';

/** The fields an import's changes may hold (rule 2): what waits for `active`. */
const AFTER_ACTIVE: ReadonlySet<Change['field']> = new Set(['visibility', 'status', 'name']);
const fields = (changes: Change[]) => changes.map((change) => change.field);

/** The writes to a new image after its import: its import's changes (one PATCH), and any rename of it. */
function writesAfterImport(result: Plan, imported: ImportAction): number {
  const later = renames(result).filter((r) => 'importSeq' in r.image && r.image.importSeq === imported.seq);
  return (imported.changes.length > 0 ? 1 : 0) + later.length;
}

describe('plan: a new image is created fully described (rule 2)', () => {
  const d = def({ versions: ['20240101', '20240201'] });

  it('creates the first import of a multi definition under the plain name: no rename', () => {
    const result = run(def({ versions: ['20240301'] }), []);
    expect(kinds(result)).toEqual(['import']);
    const [imported] = imports(result);
    expect(imported?.desired.name).toBe('Ubuntu 24.04');
    expect(renames(result)).toEqual([]);
    // Only the exposure waits for active: one PATCH after the import.
    expect(imported?.changes).toEqual([{ field: 'visibility', before: 'private', after: 'public' }]);
  });

  it('asks Glance to create it with the name, every property and tag, private, identity included', () => {
    const result = run(def({ versions: ['20240301'], tags: ['scs'] }), []);
    const desired = imports(result)[0]?.desired;
    if (!desired) throw new Error('no import');
    const request = createRequest(desired, TAG, 'fixed-id');
    const properties = Object.fromEntries(Object.entries(desired.properties).filter(([, value]) => value !== null));
    expect(request).toEqual({
      ...properties,
      image_verification: 'pending: not verified yet',
      id: 'fixed-id',
      name: 'Ubuntu 24.04',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      min_disk: 8,
      min_ram: 512,
      tags: ['scs', TAG, 'os:ubuntu'],
    });
    expect(request).toMatchObject({ image_name: 'Ubuntu 24.04', internal_version: '20240301', os_purpose: 'generic' });
    // The image it creates, once active, differs from the desired state only in what waits for active.
    expect(asCreated(desired, TAG)).toMatchObject({ ...properties, name: 'Ubuntu 24.04', visibility: 'private' });
  });

  it('leaves a property the desired state wants absent out of the request; a stray one cannot replace a field', () => {
    const d1 = def({ versions: [version('20240301', { meta: { hw_disk_bus: null, visibility: 'x' } })] });
    const desired = imports(run(d1, []))[0]?.desired;
    if (!desired) throw new Error('no import');
    expect(desired.properties.hw_disk_bus).toBeNull();
    const request = createRequest(desired, TAG);
    expect(request).not.toHaveProperty('hw_disk_bus');
    expect(request.visibility).toBe('private');
    expect(request).not.toHaveProperty('id');
  });

  it('creates an image to be hidden hidden, and one to be deactivated deactivates once active', () => {
    const hidden = def({ status: 'deactivated', versions: [version('20240301', { hidden: true })] });
    const [imported] = imports(run(hidden, []));
    if (!imported) throw new Error('no import');
    expect(createRequest(imported.desired, TAG)).toMatchObject({ os_hidden: true, visibility: 'private' });
    expect(imported.changes).toEqual([
      { field: 'visibility', before: 'private', after: 'public' },
      { field: 'status', before: 'active', after: 'deactivated' },
    ]);
  });

  it('rotates in order: imported under its versioned name, the old image leaves, then one rename finishes it', () => {
    const old = glanceImage(d, '20240101', { current: true });
    const result = run(d, [old], { hide: true });
    expect(kinds(result)).toEqual(['import', 'rename', 'rename']);
    const [imported] = imports(result);
    const [away, toPlain] = renames(result);
    expect(imported?.desired.name).toBe('Ubuntu 24.04 (20240201)');
    // Everything is in the create; exposure waits with the name, so the import needs no PATCH of its own.
    expect(imported?.changes).toEqual([]);
    expect(away).toMatchObject({ image: { imageId: old.id }, to: 'Ubuntu 24.04 (20240101)', after: [imported?.seq] });
    expect(toPlain).toMatchObject({ image: { importSeq: imported?.seq }, to: 'Ubuntu 24.04' });
    expect(toPlain?.after).toEqual([imported?.seq, away?.seq]);
    expect(toPlain?.changes).toEqual([
      { field: 'name', before: 'Ubuntu 24.04 (20240201)', after: 'Ubuntu 24.04' },
      { field: 'visibility', before: 'private', after: 'public' },
    ]);
    expect(imported && writesAfterImport(result, imported)).toBe(1);
    expect(run(d, applyToCloud(result, [old]), { hide: true }).actions).toEqual([]);
  });

  it('takes the name in its final change when the image holding it keeps it (a killed one)', () => {
    const killed = { ...glanceImage(d, '20240101', { current: true }), status: 'killed' as const };
    const result = run(d, [killed]);
    expect(kinds(result)).toEqual(['import']);
    const [imported] = imports(result);
    expect(imported?.desired.name).toBe('Ubuntu 24.04 (20240201)');
    expect(imported?.changes).toEqual([
      { field: 'name', before: 'Ubuntu 24.04 (20240201)', after: 'Ubuntu 24.04' },
      { field: 'visibility', before: 'private', after: 'public' },
    ]);
  });

  it('takes the name in its final change when the image holding it is deleted by retention, after the import', () => {
    const now = def({ versions: ['20240201'], meta: { uuid_validity: 'none' } });
    const gone = glanceImage(def({ versions: ['20240101'] }), '20240101');
    expect(gone.name).toBe('Ubuntu 24.04');
    const result = run(now, [gone], { delete: true });
    expect(kinds(result)).toEqual(['import', 'delete']);
    const [imported] = imports(result);
    expect(fields(imported?.changes ?? [])).toEqual(['name', 'visibility']);
    expect(waitsFor(result, result.actions[1]!, imported!.seq)).toBe(true);
  });

  it('a single-version image and an outdated arrival are created under their own names', () => {
    const single = def({ multi: false, versions: ['24.04.1', '24.04.2'] });
    const result = run(single, []);
    expect(imports(result).map((a) => [a.desired.name, fields(a.changes)])).toEqual([
      ['Ubuntu 24.04 24.04.1', ['visibility']],
      ['Ubuntu 24.04 24.04.2', ['visibility']],
    ]);
    expect(renames(result)).toEqual([]);
    expect(updates(result)).toEqual([]);
  });

  it.each([
    ['an empty cloud', [] as string[], {}],
    ['the previous version current', ['20240101'], {}],
    ['the previous version current, --hide --deactivate', ['20240101'], { hide: true, deactivate: true }],
    ['two versions present, --delete', ['20231201', '20240101'], { delete: true }],
  ])('holds only what waits for active in an import, from %s', (_, present, opts) => {
    const three = def({ versions: ['20231201', '20240101', '20240201'], meta: { uuid_validity: 'last-2' } });
    const observed = present.map((v, i) => glanceImage(three, v, { current: i === present.length - 1 }));
    const result = run(three, observed, opts);
    for (const imported of imports(result)) {
      expect(fields(imported.changes).filter((field) => !AFTER_ACTIVE.has(field))).toEqual([]);
      expect(writesAfterImport(result, imported)).toBeLessThanOrEqual(1);
    }
    expect(run(three, applyToCloud(result, observed), opts).actions).toEqual([]);
  });
});
