import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import {
  applyToCloud,
  changeOf,
  def,
  deletes,
  glanceImage,
  imports,
  renames,
  run,
  touched,
  updates,
  waitsFor,
} from './helpers.js';

const d = def({ versions: ['20240101', '20240201'], meta: { uuid_validity: 'last-3' } });
const LATER = '2024-12-24T10:00:00Z';
const duplicateName = (version: string, image: GlanceImage) => `Ubuntu 24.04 (${version}) duplicate ${image.id}`;
const warnings = (result: ReturnType<typeof run>) =>
  result.notes.filter((n) => n.level === 'warn').map((n) => `${n.image}: ${n.message}`);

/** Two runs from two hosts: every version imported twice, the second copy a day later. */
function twice(definition: ImageDefinition, extra: Partial<GlanceImage> = {}): GlanceImage[] {
  return definition.versions.flatMap(({ version }) => [
    glanceImage(definition, version),
    { ...glanceImage(definition, version), created_at: LATER, ...extra },
  ]);
}

describe('plan: duplicates of a version are retired as outdated versions are (rule 11)', () => {
  it('two public NAME and two NAME (V): keeps the oldest of each, renames the other away and says so', () => {
    const [oldA, oldB, currentA, currentB] = twice(d) as [GlanceImage, GlanceImage, GlanceImage, GlanceImage];
    expect([currentA.name, currentB.name]).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04']);
    const result = run(d, [oldA, oldB, currentA, currentB]);
    expect(imports(result)).toEqual([]);
    expect(renames(result).map((r) => [r.image, r.to])).toEqual([
      [{ imageId: oldB.id, name: 'Ubuntu 24.04 (20240101)' }, duplicateName('20240101', oldB)],
      [{ imageId: currentB.id, name: 'Ubuntu 24.04' }, duplicateName('20240201', currentB)],
    ]);
    // The duplicate of the current version is outdated now: oldgeneric, like every outdated image.
    const [, away] = renames(result);
    expect(changeOf(away?.changes ?? [], 'properties.os_purpose')).toMatchObject({ after: 'oldgeneric' });
    expect(warnings(result)).toEqual([
      expect.stringMatching(
        new RegExp(`^Ubuntu 24.04 \\(20240101\\): image ${oldB.id} also claims version 20240101; keeping ${oldA.id}`),
      ),
      expect.stringMatching(new RegExp(`^Ubuntu 24.04: image ${currentB.id} also claims version 20240201; keeping`)),
    ]);
    const cloud = applyToCloud(result, [oldA, oldB, currentA, currentB]);
    expect(cloud.filter((i) => i.name === 'Ubuntu 24.04').map((i) => i.id)).toEqual([currentA.id]);
    expect(cloud.filter((i) => i.name === 'Ubuntu 24.04 (20240101)').map((i) => i.id)).toEqual([oldA.id]);
    const again = run(d, cloud);
    expect(again.actions).toEqual([]);
    // Still said: the operator may want to delete them.
    expect(warnings(again)).toHaveLength(2);
  });

  it.each<[string, (a: GlanceImage, b: GlanceImage) => [GlanceImage, GlanceImage], 'a' | 'b']>([
    ['the one holding the plain name', (a, b) => [{ ...a, name: 'Ubuntu 24.04 (20240201)' }, b], 'b'],
    ['else the oldest created', (a, b) => [a, b], 'a'],
    [
      'else the lowest id',
      (a, b) => [
        { ...a, id: 'img-b' },
        { ...b, id: 'img-a', created_at: a.created_at },
      ],
      'b',
    ],
  ])('keeps %s', (_, arrange, kept) => {
    const [a, b] = arrange(glanceImage(d, '20240201'), { ...glanceImage(d, '20240201'), created_at: LATER });
    const result = run(d, [glanceImage(d, '20240101'), a, b]);
    const retired = kept === 'a' ? b : a;
    expect(touched(result)).toEqual([retired.id]);
    expect(renames(result)[0]?.to).toBe(duplicateName('20240201', retired));
  });

  it.each<[string, Partial<PlanOptions>, Record<string, unknown>]>([
    ['--hide hides it', { hide: true }, { visibility: 'community' }],
    ['--deactivate deactivates it past retention', { deactivate: true }, { status: 'deactivated' }],
  ])('%s, as an outdated version (uuid_validity none)', (_, opts, expected) => {
    const none = def({ versions: ['20240201'], meta: { uuid_validity: 'none' } });
    const [keeper, duplicate] = twice(none) as [GlanceImage, GlanceImage];
    const result = run(none, [keeper, duplicate], opts);
    expect(touched(result)).toEqual([duplicate.id]);
    const cloud = applyToCloud(result, [keeper, duplicate]);
    expect(cloud.find((i) => i.id === duplicate.id)).toMatchObject(expected);
    expect(cloud.find((i) => i.id === keeper.id)).toEqual(keeper);
    expect(run(none, cloud, opts).actions).toEqual([]);
  });

  it('deletes it with --delete once past retention; its keeper, current, stays', () => {
    const none = def({ versions: ['20240201'], meta: { uuid_validity: 'none' } });
    const [keeper, duplicate] = twice(none) as [GlanceImage, GlanceImage];
    const result = run(none, [keeper, duplicate], { delete: true });
    expect(result.actions).toEqual([expect.objectContaining({ kind: 'delete', imageId: duplicate.id })]);
    expect(run(none, applyToCloud(result, [keeper, duplicate]), { delete: true }).actions).toEqual([]);
  });

  it('deletes a version past retention with its duplicate, both after the import of its successor', () => {
    const none = def({ versions: ['20240201', '20240301'], meta: { uuid_validity: 'none' } });
    const [keeper, duplicate] = twice(def({ versions: ['20240201'] })) as [GlanceImage, GlanceImage];
    const result = run(none, [keeper, duplicate], { delete: true });
    expect(deletes(result).map((a) => a.imageId)).toEqual([keeper.id, duplicate.id]);
    for (const removal of deletes(result)) expect(waitsFor(result, removal, imports(result)[0]?.seq ?? 0)).toBe(true);
    expect(run(none, applyToCloud(result, [keeper, duplicate]), { delete: true }).actions).toEqual([]);
  });

  it('keeps it while its version is within retention, and says so', () => {
    const [keeper, duplicate] = twice(def({ versions: ['20240201'] })) as [GlanceImage, GlanceImage];
    const result = run(d, [glanceImage(d, '20240101'), keeper, duplicate], { delete: true });
    expect(deletes(result)).toEqual([]);
    expect(warnings(result).join('\n')).toMatch(/retired as an outdated duplicate.*kept: uuid_validity last-3/);
  });

  it('never deletes a version’s only usable image: one beside an import under way is no duplicate', () => {
    const none = def({ versions: ['20240201'], meta: { uuid_validity: 'none' } });
    const keeper = glanceImage(none, '20240201');
    const pending = { ...glanceImage(none, '20240201'), status: 'importing' as const, created_at: LATER };
    const result = run(none, [keeper, pending], { delete: true });
    expect(result.actions).toEqual([]);
    expect(warnings(result)).toEqual([expect.stringContaining(`${pending.id} (importing) also claims version`)]);
  });

  it('never deletes a protected duplicate', () => {
    const none = def({ versions: ['20240201'], meta: { uuid_validity: 'none' } });
    const [keeper, duplicate] = twice(none, { protected: true }) as [GlanceImage, GlanceImage];
    const result = run(none, [keeper, duplicate], { delete: true });
    expect(deletes(result)).toEqual([]);
    expect(renames(result).map((r) => r.to)).toEqual([duplicateName('20240201', duplicate)]);
  });

  it('retires the duplicate holding the plain name at once, while a new version arrives', () => {
    const three = def({ versions: ['20240101', '20240201', '20240301'] });
    const [keeper, duplicate] = twice(def({ versions: ['20240201'] })) as [GlanceImage, GlanceImage];
    const result = run(three, [keeper, duplicate]);
    const away = renames(result).find((r) => 'imageId' in r.image && r.image.imageId === duplicate.id);
    expect(away?.after).toEqual([]);
    const toPlain = renames(result).find((r) => r.to === 'Ubuntu 24.04');
    expect(toPlain && waitsFor(result, toPlain, away?.seq ?? 0)).toBe(true);
    expect(run(three, applyToCloud(result, [keeper, duplicate])).actions).toEqual([]);
  });

  it('gives a duplicate of a version no longer listed the identity properties, so the next run knows it', () => {
    const gone = [
      { ...glanceImage(d, '20231201'), image_name: undefined, internal_version: undefined },
      { ...glanceImage(d, '20231201'), image_name: undefined, internal_version: undefined, created_at: LATER },
    ].map((image) => Object.fromEntries(Object.entries(image).filter(([, v]) => v !== undefined)) as GlanceImage);
    const observed = [...gone, glanceImage(d, '20240101'), glanceImage(d, '20240201')];
    const result = run(d, observed);
    expect(updates(result)).toEqual([]);
    expect(renames(result)[0]?.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: 'Ubuntu 24.04 (20231201)', after: duplicateName('20231201', gone[1] as GlanceImage) },
        { field: 'properties.image_name', before: null, after: 'Ubuntu 24.04' },
        { field: 'properties.internal_version', before: null, after: '20231201' },
      ]),
    );
    expect(run(d, applyToCloud(result, observed)).actions).toEqual([]);
  });

  it('names a duplicate by the first 8 characters of its id, or by all of it when another shares them', () => {
    const one = def({ versions: ['20240201'] });
    const [keeper, first, second] = [
      { ...glanceImage(one, '20240201'), id: '0b7e6f1c-0000-4000-8000-000000000001' },
      { ...glanceImage(one, '20240201'), id: '5f3a9d2e-0000-4000-8000-000000000002', created_at: LATER },
      { ...glanceImage(one, '20240201'), id: '5f3a9d2e-0000-4000-8000-000000000003', created_at: LATER },
    ] as [GlanceImage, GlanceImage, GlanceImage];
    const alone = run(one, [keeper, { ...first, id: '9c1d2e3f-0000-4000-8000-000000000004' }]);
    expect(renames(alone).map((r) => r.to)).toEqual(['Ubuntu 24.04 (20240201) duplicate 9c1d2e3f']);
    const sharing = run(one, [keeper, first, second]);
    expect(renames(sharing).map((r) => r.to)).toEqual([
      `Ubuntu 24.04 (20240201) duplicate ${first.id}`,
      `Ubuntu 24.04 (20240201) duplicate ${second.id}`,
    ]);
  });
});
