import { describe, expect, it } from 'vitest';
import type { ImageDefinition, MetaValue } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import {
  applyToCloud,
  def,
  deletes,
  glanceImage,
  imports,
  kinds,
  noteTexts,
  renames,
  run,
  TODAY,
  updates,
} from './helpers.js';

const VERSIONS = ['20240101', '20240201', '20240301', '20240401', '20240501', '20240601'];
const named = (v: string) => `Ubuntu 24.04 (${v})`;

function setup(
  validity: MetaValue,
  extra: Partial<ImageDefinition> = {},
): { d: ImageDefinition; observed: GlanceImage[] } {
  const d = def({ versions: VERSIONS, meta: { uuid_validity: validity }, ...extra });
  return { d, observed: VERSIONS.map((v) => glanceImage(d, v)) };
}
const deleted = (result: ReturnType<typeof run>) => deletes(result).map((a) => a.name);

describe('plan: retention of outdated images (rule 6)', () => {
  it('last-3 keeps the 2 newest outdated images and deletes the older ones with --delete', () => {
    const { d, observed } = setup('last-3');
    const result = run(d, observed, { delete: true });
    expect(kinds(result)).toEqual(['delete', 'delete', 'delete']);
    expect(deleted(result)).toEqual([named('20240101'), named('20240201'), named('20240301')]);
    expect(deletes(result)[0]).toMatchObject({ imageId: observed[0]?.id, reason: 'uuid_validity last-3', after: [] });
    const notes = noteTexts(result).join('\n');
    expect(notes).toContain(`${named('20240401')}: kept: uuid_validity last-3`);
    expect(notes).toContain(`${named('20240501')}: kept: uuid_validity last-3`);
  });

  it('without --delete only notes what is past its retention', () => {
    const { d, observed } = setup('last-3');
    const result = run(d, observed);
    expect(result.actions).toEqual([]);
    const past = result.notes.filter((n) => /past its retention/.test(n.message)).map((n) => n.image);
    expect(past).toEqual([named('20240101'), named('20240201'), named('20240301')]);
  });

  it('with --deactivate (no --delete) deactivates what is past its retention', () => {
    const { d, observed } = setup('last-3');
    const result = run(d, observed, { deactivate: true });
    expect(deletes(result)).toEqual([]);
    const deactivate = [{ field: 'status', before: 'active', after: 'deactivated' }];
    expect(updates(result).map((a) => [a.name, a.changes])).toEqual([
      [named('20240101'), deactivate],
      [named('20240201'), deactivate],
      [named('20240301'), deactivate],
    ]);
    expect(run(d, applyToCloud(result, observed), { deactivate: true }).actions).toEqual([]);
  });

  it('with --delete --deactivate deletes rather than deactivates', () => {
    const { d, observed } = setup('last-3');
    const result = run(d, observed, { delete: true, deactivate: true });
    expect(kinds(result)).toEqual(['delete', 'delete', 'delete']);
  });

  it.each<[string, MetaValue, string[]]>([
    ['none: every outdated image', 'none', VERSIONS.slice(0, 5)],
    ['last-1: every outdated image', 'last-1', VERSIONS.slice(0, 5)],
    ['last-5: the oldest', 'last-5', VERSIONS.slice(0, 1)],
    ['last-6: none', 'last-6', []],
    ['forever: none', 'forever', []],
    ['notice: none', 'notice', []],
    ['a date in the future: none', '2099-12-31', []],
    ['today: none yet', TODAY, []],
    ['a date in the past: every outdated image', '2025-01-31', VERSIONS.slice(0, 5)],
    ['unset: none', null, []],
    ['an unknown value: none', 'sometime', []],
  ])('uuid_validity %s is deleted', (_, validity, expected) => {
    const { d, observed } = setup(validity);
    expect(deleted(run(d, observed, { delete: true }))).toEqual(expected.map(named));
  });

  it.each<[string, Partial<PlanOptions>, Partial<ImageDefinition>, RegExp]>([
    ['--keep', { keep: true }, {}, /kept \(--keep\)/],
    ['keep: true', {}, { keep: true }, /kept \(keep: true\)/],
  ])('%s keeps every outdated image', (_, opts, extra, note) => {
    const { d, observed } = setup('none', extra);
    const result = run(d, observed, { delete: true, ...opts });
    expect(deletes(result)).toEqual([]);
    expect(result.notes.filter((n) => note.test(n.message))).toHaveLength(5);
  });

  it('never deletes a protected image, and says so', () => {
    const { d, observed } = setup('none');
    const [first, ...rest] = observed as [GlanceImage, ...GlanceImage[]];
    const result = run(d, [{ ...first, protected: true }, ...rest], { delete: true });
    expect(deleted(result)).toEqual(VERSIONS.slice(1, 5).map(named));
    expect(noteTexts(result)).toContain(
      `${named('20240101')}: past its retention, but protected: --delete leaves it (Glance refuses to delete a protected image)`,
    );
  });

  it('deletes only after every import of the definition', () => {
    const d = def({ versions: [...VERSIONS, '20240701'], meta: { uuid_validity: 'last-3' } });
    const observed = VERSIONS.map((v) => glanceImage(d, v, { current: v === '20240601' }));
    const result = run(d, observed, { delete: true });
    const [imported] = imports(result);
    expect(imported?.desired.name).toBe(named('20240701'));
    // Outdated once 20240701 is in: 20240101…20240601; kept: 20240501, 20240601.
    expect(deleted(result)).toEqual(VERSIONS.slice(0, 4).map(named));
    for (const action of deletes(result)) expect(action.after).toContain(imported?.seq);
    // After the rename away from the plain name, too.
    const away = renames(result).find((r) => r.to === named('20240601'));
    for (const action of deletes(result)) expect(action.after).toContain(away?.seq);
    expect(run(d, applyToCloud(result, observed), { delete: true }).actions).toEqual([]);
  });

  it.each<[MetaValue, string[]]>([
    ['none', ['20240301']],
    ['last-2', ['20240201', '20240301']],
    ['last-3', ['20240101', '20240201', '20240301']],
  ])('imports only what %s would not delete at once (empty cloud, --delete)', (validity, expected) => {
    const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: validity } });
    const result = run(d, [], { delete: true });
    expect(imports(result).map((a) => a.desired.properties.internal_version)).toEqual(expected);
    expect(deletes(result)).toEqual([]);
    const notes = noteTexts(result).join('\n');
    for (const v of ['20240101', '20240201'].filter((x) => !expected.includes(x)))
      expect(notes).toMatch(new RegExp(`${v} not imported`));
    expect(run(d, applyToCloud(result, []), { delete: true }).actions).toEqual([]);
  });

  it('imports everything without --delete, even with uuid_validity none', () => {
    const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'none' } });
    expect(imports(run(d, [])).length).toBe(3);
  });

  it('deactivates the image that leaves the plain name once past its retention, after the rotation', () => {
    const d = def({ versions: ['20240101', '20240201'], meta: { uuid_validity: 'none' } });
    const old = glanceImage(d, '20240101', { current: true });
    const result = run(d, [old], { deactivate: true });
    expect(imports(result)).toHaveLength(1);
    // Nothing is deactivated before the successor is in.
    for (const action of updates(result)) expect(action.after.length).toBeGreaterThan(0);
    const cloud = applyToCloud(result, [old]);
    expect(cloud.find((i) => i.id === old.id)).toMatchObject({
      name: named('20240101'),
      status: 'deactivated',
      os_purpose: 'oldgeneric',
    });
    expect(run(d, cloud, { deactivate: true }).actions).toEqual([]);
  });

  it.each<[string, Partial<PlanOptions>, string[]]>([
    ['deleted with --delete, not finished', { delete: true }, ['delete']],
    ['finished and deactivated with --deactivate', { deactivate: true }, ['resume-import']],
    ['finished without either', {}, ['resume-import']],
  ])('an unfinished import of a version past its retention is %s', (_, opts, expected) => {
    const d = def({ versions: ['20240101', '20240201'], meta: { uuid_validity: 'none' } });
    const pending = { ...glanceImage(d, '20240101'), status: 'importing' as const, visibility: 'private' as const };
    const observed = [pending, glanceImage(d, '20240201')];
    const result = run(d, observed, opts);
    expect(kinds(result)).toEqual(expected);
    const cloud = applyToCloud(result, observed);
    if (opts.deactivate) expect(cloud.find((i) => i.id === pending.id)?.status).toBe('deactivated');
    expect(run(d, cloud, opts).actions).toEqual([]);
  });
});
