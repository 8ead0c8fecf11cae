import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { actions, type ChangeDraft, type Draft } from '../../../src/plan/actions.js';
import type { OwnedImage } from '../../../src/definitions/identify.js';
import { inventory, type VersionSlot } from '../../../src/plan/inventory.js';
import { Sequencer } from '../../../src/plan/sequence.js';
import { targets, type Target } from '../../../src/plan/targets.js';
import { reasonText } from '../../../src/plan/reasons.js';
import type { Action, Reason } from '../../../src/plan/types.js';
import { def, glanceImage, options, TAG, without } from './helpers.js';

const owned = (image: GlanceImage, version: string, via: OwnedImage['via'] = 'properties'): OwnedImage => ({
  image,
  version,
  via,
});
/** The drafts numbered as the planner numbers them: one batch through the `Sequencer`. */
const sequence = (drafts: Draft[]): Action[] => {
  const sequencer = new Sequencer();
  sequencer.add(drafts);
  return sequencer.plan();
};
const byVersion = <T extends { slot: VersionSlot }>(list: T[]) =>
  Object.fromEntries(list.map((entry) => [entry.slot.version, entry]));

describe('stage 1: inventory', () => {
  const d = def({ versions: ['20240201', '20240301', '20240401'] });

  it('has one slot per version, oldest first: every listed version and every one found', () => {
    const gone = glanceImage(d, '20240101');
    const present = glanceImage(d, '20240301');
    const slots = inventory(d, [owned(present, '20240301'), owned(gone, '20240101')]);
    expect(slots.map((s) => [s.version, s.defined?.version, s.image?.id])).toEqual([
      ['20240101', undefined, gone.id],
      ['20240201', '20240201', undefined],
      ['20240301', '20240301', present.id],
      ['20240401', '20240401', undefined],
    ]);
    expect(slots.every((s) => !s.dated && s.ignored.length === 0 && s.duplicates.length === 0)).toBe(true);
  });

  it('keeps one usable image (plain name, else the oldest) and retires the other usable ones; the rest is ignored', () => {
    const image = (status: GlanceImage['status'], created: string, name = 'Ubuntu 24.04 (20240401)') => ({
      ...glanceImage(d, '20240401'),
      name,
      status,
      created_at: created,
    });
    const older = image('active', '2024-04-01T00:00:00Z');
    const newer = image('deactivated', '2024-04-02T00:00:00Z');
    const queued = image('queued', '2024-05-01T00:00:00Z');
    const killed = image('killed', '2024-06-01T00:00:00Z');
    const latest = def({ versions: ['20240401'] });
    const [slot] = inventory(
      latest,
      [killed, queued, newer, older].map((i) => owned(i, '20240401')),
    );
    expect(slot?.image?.id).toBe(older.id);
    expect(slot?.duplicates.map((i) => i.id)).toEqual([newer.id]);
    expect(slot?.ignored.map((i) => i.id)).toEqual([queued.id, killed.id]);
    // Holding the plain name wins over age; a name an earlier run gave a duplicate loses to any other.
    const plain = image('active', '2024-04-03T00:00:00Z', 'Ubuntu 24.04');
    const retired = image('active', '2024-03-01T00:00:00Z', `Ubuntu 24.04 (20240401) duplicate ${older.id}`);
    const [again] = inventory(
      latest,
      [retired, older, plain].map((i) => owned(i, '20240401')),
    );
    expect([again?.image, ...(again?.duplicates ?? [])].map((i) => i?.id)).toEqual([plain.id, older.id, retired.id]);
    // Without usable images, the newest being imported is worked with.
    const [pending] = inventory(
      latest,
      [queued, image('importing', '2024-05-02T00:00:00Z'), killed].map((i) => owned(i, '20240401')),
    );
    expect(pending?.image?.status).toBe('importing');
    expect(pending?.ignored.map((i) => i.id)).toEqual([queued.id, killed.id]);
  });

  it('keeps a version with only failed images without an image, and marks a version that is only a creation day', () => {
    const killed = { ...glanceImage(d, '20240301'), status: 'killed' as const };
    const legacy = without(glanceImage(d, '20240401', { current: true }), 'image_name', 'internal_version');
    const slots = Object.fromEntries(
      inventory(d, [owned(killed, '20240301'), owned(legacy, '20240601', 'created_at')]).map((s) => [s.version, s]),
    );
    expect(slots['20240301']).toMatchObject({ ignored: [killed], dated: false });
    expect(slots['20240301']).not.toHaveProperty('image');
    expect(slots['20240601']).toMatchObject({ image: legacy, dated: true });
  });
});

describe('stage 2: targets', () => {
  const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-2' } });
  const decide = (observed: GlanceImage[], opts = {}) =>
    byVersion(
      targets(
        d,
        inventory(
          d,
          observed.map((i) => owned(i, i.internal_version as string)),
        ),
        options(opts),
      ),
    );

  it('decides each slot once: the current image hands over to the version imported, roles and retention follow', () => {
    const old = glanceImage(d, '20240101');
    const current = glanceImage(d, '20240201', { current: true });
    const decided = decide([old, current], { delete: true, hide: true });
    expect(decided['20240301']).toMatchObject({
      fate: 'import',
      role: 'current',
      desired: { name: 'Ubuntu 24.04', visibility: 'public' },
    });
    expect(decided['20240201']).toMatchObject({
      fate: 'keep',
      role: 'outdated',
      waits: 'rotation',
      reason: { kind: 'kept', rank: 0, validity: 'last-2' },
      desired: { name: 'Ubuntu 24.04 (20240201)', visibility: 'community', properties: { os_purpose: 'oldgeneric' } },
    });
    expect(decided['20240101']).toMatchObject({ fate: 'delete', image: old, reason: { kind: 'expired', rank: 1 } });
    // The words a person reads (the notes, a delete's reason, status) are made from the typed reason.
    expect([decided['20240201'], decided['20240101']].map((target) => reasonText(target?.reason as Reason))).toEqual([
      'kept: uuid_validity last-2',
      'uuid_validity last-2',
    ]);
    // Refused (in use), it is retired instead: hidden and deactivated.
    expect((decided['20240101'] as Extract<Target, { fate: 'delete' }>).fallback).toMatchObject({
      visibility: 'community',
      status: 'deactivated',
    });
  });

  it('says why a version is not imported: failed images, --latest, a newer version present, retention', () => {
    const killed = { ...glanceImage(d, '20240101'), status: 'killed' as const };
    const latest = decide([killed], { latest: true });
    expect(latest).toMatchObject({
      '20240101': { fate: 'none', reason: { kind: 'not-imported', because: 'failed-image' } },
      '20240201': { fate: 'none', reason: { kind: 'not-imported', because: 'latest-only', newest: '20240301' } },
      '20240301': { fate: 'import' },
    });
    expect([latest['20240101'], latest['20240201']].map((target) => reasonText(target?.reason as Reason))).toEqual([
      'delete its failed image first',
      '--latest imports only 20240301',
    ]);
    const older = decide([glanceImage(d, '20240201')])['20240101'];
    expect(older).toMatchObject({
      fate: 'none',
      reason: { kind: 'not-imported', because: 'older-than-present', newer: '20240201' },
    });
    expect(reasonText(older?.reason as Reason)).toBe('the newer version 20240201 exists');
    const expired = decide([], { delete: true });
    expect(expired).toMatchObject({
      '20240101': { fate: 'none', reason: { kind: 'expired', validity: 'last-2' } },
      '20240201': { fate: 'import', role: 'outdated' },
    });
    expect(reasonText(expired['20240101']?.reason as Reason)).toBe('uuid_validity last-2');
  });

  it('lets a deactivation past retention wait for the imports, and raises min_disk to the stored image', () => {
    const big = { ...glanceImage(d, '20240101', { current: false }), virtual_size: 9 * 1024 ** 3 };
    const decided = decide([big, glanceImage(d, '20240201', { current: true })], { deactivate: true });
    expect(decided['20240101']).toMatchObject({
      fate: 'keep',
      waits: 'retention',
      desired: { status: 'deactivated', min_disk: 9 },
      minDiskRaised: { from: 8, to: 9 },
    });
    // Without an import there is nothing to wait for.
    expect(
      decide([big, glanceImage(d, '20240201'), glanceImage(d, '20240301')], { deactivate: true })['20240101'],
    ).not.toHaveProperty('waits');
  });
});

describe('stage 3: actions', () => {
  const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-2' } });
  const draftsFor = (observed: GlanceImage[], opts = {}) => {
    const slots = inventory(
      d,
      observed.map((i) => owned(i, i.internal_version as string)),
    );
    return actions(d, targets(d, slots, options(opts)), { tag: TAG });
  };
  const imageOf = (draft: Draft) =>
    (draft.kind === 'update' || draft.kind === 'rename') && 'found' in draft.image ? draft.image.found.id : undefined;

  it('orders a rotation by edges: import, drift at once, role after the import, plain name after the old one left', () => {
    const old = glanceImage(d, '20240101');
    const current = glanceImage(d, '20240201', { current: true, hw_disk_bus: 'ide' });
    const drafts = draftsFor([old, current], { delete: true });
    const [imported, drift, away, plain, removal] = drafts;
    expect(drafts.map((draft) => draft.kind)).toEqual(['import', 'update', 'rename', 'rename', 'delete']);
    expect(imported).toMatchObject({ kind: 'import', after: [], desired: { name: 'Ubuntu 24.04 (20240301)' } });
    // Created fully described (private): in a rotation what waits for active waits for the plain name too.
    expect(imported?.kind === 'import' && imported.changes).toEqual([]);
    expect(drift).toMatchObject({
      image: { found: current },
      changes: [{ field: 'properties.hw_disk_bus', before: 'ide', after: 'scsi' }],
      after: [],
    });
    expect(imageOf(away as Draft)).toBe(current.id);
    expect(away?.after).toEqual([drift, imported]);
    expect(plain).toMatchObject({
      image: { arriving: imported },
      changes: [
        { field: 'name', before: 'Ubuntu 24.04 (20240301)', after: 'Ubuntu 24.04' },
        { field: 'visibility', before: 'private', after: 'public' },
      ],
    });
    expect(plain?.after).toEqual([imported, away]);
    expect(removal).toMatchObject({ kind: 'delete', image: old, reason: 'uuid_validity last-2' });
    expect(removal?.after).toEqual([imported, away, plain]);
  });

  it('needs no edge where nothing waits', () => {
    const observed = [
      glanceImage(d, '20240101', { hw_disk_bus: 'ide' }),
      glanceImage(d, '20240201'),
      glanceImage(d, '20240301'),
    ];
    const drafts = draftsFor(observed) as ChangeDraft[];
    expect(drafts.map((draft) => [draft.kind, imageOf(draft), draft.after])).toEqual([['update', observed[0]?.id, []]]);
  });
});

describe('sequence: drafts numbered into the plan', () => {
  const d = def({ versions: ['20240101', '20240201'] });

  it('numbers imports first and every draft after what it waits for; an import is named by its number', () => {
    const old = glanceImage(d, '20240101', { current: true });
    const slots = inventory(d, [owned(old, '20240101')]);
    const drafts = actions(d, targets(d, slots, options()), { tag: TAG });
    // Given in another order, the numbering still puts each draft after what it waits for.
    const plan = sequence([...drafts].reverse());
    expect(plan.map((a) => [a.seq, a.kind, a.after])).toEqual([
      [1, 'import', []],
      [2, 'rename', [1]],
      [3, 'rename', [1, 2]],
    ]);
    expect(plan[2]).toMatchObject({ image: { importSeq: 1, name: 'Ubuntu 24.04 (20240201)' }, to: 'Ubuntu 24.04' });
    expect(plan.map((a) => a.summary)).toEqual([
      'import Ubuntu 24.04 (20240201) from https://images.example.com/img-20240201.qcow2',
      'rename Ubuntu 24.04 to Ubuntu 24.04 (20240101), os_purpose="oldgeneric"',
      'rename Ubuntu 24.04 (20240201) to Ubuntu 24.04, visibility="public"',
    ]);
  });

  it('numbers one definition at a time as it would all at once: every import first, the rest after them', () => {
    const e = def({ name: 'Debian 12', versions: ['12.1', '12.2'], meta: { os_distro: 'debian' } });
    const draftsOf = (x: typeof d, observed: GlanceImage[]) =>
      actions(
        x,
        targets(
          x,
          inventory(
            x,
            observed.map((i) => owned(i, i.internal_version as string)),
          ),
          options(),
        ),
        { tag: TAG },
      );
    const first = draftsOf(d, [glanceImage(d, '20240101', { current: true })]);
    const second = draftsOf(e, [glanceImage(e, '12.1', { current: true, hw_disk_bus: 'ide' })]);
    const sequencer = new Sequencer();
    sequencer.add(first);
    sequencer.add(second);
    const batched = sequencer.plan();
    const shape = (plan: Action[]) => plan.map((a) => [a.seq, a.definition, a.kind, a.after, a.summary]);
    expect(shape(batched)).toEqual(shape(sequence([...first, ...second])));
    expect(batched.map((a) => [a.seq, a.kind, a.after])).toEqual([
      [1, 'import', []],
      [2, 'import', []],
      [3, 'rename', [1]],
      [4, 'rename', [1, 3]],
      [5, 'update', []],
      [6, 'rename', [2, 5]],
      [7, 'rename', [2, 6]],
    ]);
    expect(() => sequencer.plan()).toThrow(/numbered twice/);
  });

  it('writes a summary when it is read, and shows it like any other field', () => {
    const [action] = sequence(actions(d, targets(d, inventory(d, []), options()), { tag: TAG }));
    if (!action) throw new Error('no action');
    expect(Object.keys(action)).toEqual([
      'kind',
      'seq',
      'definition',
      'after',
      'summary',
      'desired',
      'source',
      'changes',
    ]);
    expect(JSON.parse(JSON.stringify(action)).summary).toBe(
      'import Ubuntu 24.04 (20240101) from https://images.example.com/img-20240101.qcow2',
    );
    expect({ ...action }.summary).toBe(action.summary);
  });

  it('refuses drafts that wait for each other', () => {
    const image = glanceImage(d, '20240101');
    const a: ChangeDraft = { kind: 'update', definition: d.name, image: { found: image }, changes: [], after: [] };
    const b: ChangeDraft = { ...a, after: [a] };
    a.after.push(b);
    expect(() => sequence([a, b])).toThrow(/wait for each other/);
  });
});
