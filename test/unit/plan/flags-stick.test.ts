import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { PlanOptions } from '../../../src/plan/types.js';
import { applyToCloud, def, glanceImage, run, version } from './helpers.js';

const d = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-3' } });
const cloud = (outdated: Partial<GlanceImage>): GlanceImage[] => [
  glanceImage(d, '20240101', outdated),
  glanceImage(d, '20240201', outdated),
  glanceImage(d, '20240301'),
];

describe('plan: never undo what a flag did (rule 10)', () => {
  it.each<[string, Partial<GlanceImage>, Partial<PlanOptions>]>([
    ['hidden by --hide (community), a --delete run', { visibility: 'community' }, { delete: true }],
    ['hidden by --hide (community), a run without flags', { visibility: 'community' }, {}],
    ['hidden by --hidden-visibility private, a plain --hide run', { visibility: 'private' }, { hide: true }],
    ['hidden by --hidden-visibility shared, a --hide run', { visibility: 'shared' }, { hide: true }],
    ['hidden by --use-os-hidden, a run without flags', { os_hidden: true }, {}],
    ['deactivated by --deactivate, a run without it', { status: 'deactivated' }, { delete: true }],
    [
      'deactivated and hidden, a --delete --keep run',
      { status: 'deactivated', visibility: 'community' },
      { delete: true, keep: true },
    ],
  ])('leaves outdated images %s as they are', (_, outdated, opts) => {
    const observed = cloud(outdated);
    const result = run(d, observed, opts);
    expect(result.actions).toEqual([]);
  });

  it('a --hide run, then a --delete run: the hidden outdated image is never made public again', () => {
    const two = def({ versions: ['20240101', '20240201'], meta: { uuid_validity: 'last-3' } });
    const observed = [glanceImage(two, '20240101', { current: true })];
    const first = applyToCloud(run(two, observed, { hide: true }), observed);
    expect(first.find((i) => i.id === observed[0]?.id)?.visibility).toBe('community');
    const three = def({ versions: ['20240101', '20240201', '20240301'], meta: { uuid_validity: 'last-3' } });
    const second = run(three, first, { delete: true });
    const after = applyToCloud(second, first);
    expect(after.filter((i) => i.visibility === 'public').map((i) => i.name)).toEqual([
      'Ubuntu 24.04 (20240201)',
      'Ubuntu 24.04',
    ]);
    expect(after.find((i) => i.id === observed[0]?.id)?.visibility).toBe('community');
  });

  it('shows an outdated image again when its version says so (visibility, hidden)', () => {
    const explicit = def({
      versions: [version('20240101', { visibility: 'public', hidden: false }), '20240201'],
      meta: { uuid_validity: 'last-2' },
    });
    const observed = [
      glanceImage(explicit, '20240101', { visibility: 'community', os_hidden: true }),
      glanceImage(explicit, '20240201'),
    ];
    expect(run(explicit, observed).actions).toEqual([
      expect.objectContaining({
        kind: 'update',
        imageId: observed[0]?.id,
        changes: [
          { field: 'visibility', before: 'community', after: 'public' },
          { field: 'os_hidden', before: true, after: false },
        ],
      }),
    ]);
  });

  it('shows hidden outdated images again with --unhide; reactivates none', () => {
    const observed = cloud({ visibility: 'community', os_hidden: true, status: 'deactivated' });
    const result = run(d, observed, { unhide: true });
    const show = [
      { field: 'visibility', before: 'community', after: 'public' },
      { field: 'os_hidden', before: true, after: false },
    ];
    expect(result.actions.map((a) => a.kind === 'update' && [a.imageId, a.changes])).toEqual([
      [observed[0]?.id, show],
      [observed[1]?.id, show],
    ]);
    expect(run(d, applyToCloud(result, observed), { unhide: true }).actions).toEqual([]);
  });

  it('still shows the current image the definition wants shown', () => {
    const observed = [glanceImage(d, '20240201'), glanceImage(d, '20240301', { visibility: 'community' })];
    expect(run(d, observed).actions).toEqual([
      expect.objectContaining({ changes: [{ field: 'visibility', before: 'community', after: 'public' }] }),
    ]);
  });
});
