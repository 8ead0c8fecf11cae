import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { Plan } from '../../../src/plan/types.js';
import { def, glanceImage, imports, PROJECT, renames, run, TAG, touched } from './helpers.js';

const byLevel = (result: Plan, level: 'info' | 'warn') =>
  result.notes.filter((note) => note.level === level).map((note) => note.message);

describe('plan notes: the plan says why when it does something surprising', () => {
  it('a version removed from the definition gives the plain name back to the newest listed one', () => {
    const d = def({ versions: ['20250101'] });
    const observed = [glanceImage(d, '20250101', { current: false }), glanceImage(d, '20250301', { current: true })];
    const result = run(d, observed);
    expect(renames(result).map((action) => action.to)).toEqual(['Ubuntu 24.04 (20250301)', 'Ubuntu 24.04']);
    expect(byLevel(result, 'info')).toContain('20250301 is no longer defined: 20250101 takes the plain name back');
  });

  it('says the newest listed version takes the plain name once it is imported, or that none is left', () => {
    const d = def({ versions: ['20250401'] });
    const observed = [glanceImage(d, '20250301', { current: true })];
    const result = run(d, observed);
    expect(imports(result)).toHaveLength(1);
    expect(byLevel(result, 'info')).toContain(
      '20250301 is no longer defined: 20250401 takes the plain name once it is imported',
    );
    const none = def({ versions: [] });
    expect(byLevel(run(none, observed), 'info')).toContain(
      '20250301 is no longer defined: no listed version is left to take the plain name Ubuntu 24.04',
    );
  });

  it('says nothing of that kind when the plain name stays where it is', () => {
    const d = def({ versions: ['20250101', '20250301'] });
    const observed = [glanceImage(d, '20250101'), glanceImage(d, '20250301')];
    expect(
      run(d, observed)
        .notes.map((note) => note.message)
        .join('\n'),
    ).not.toContain('no longer defined');
  });

  describe('an image of the project with our name or identity but without the managed tag', () => {
    const d = def({ versions: ['20250101', '20250301'] });
    const observed = [glanceImage(d, '20250101')];
    const untagged = (extra: Partial<GlanceImage>): GlanceImage => ({
      ...glanceImage(d, '20250301', { id: 'untagged-1', visibility: 'private' }),
      tags: [],
      ...extra,
    });

    it('is left alone, and the plan says it lacks the tag', () => {
      const image = untagged({});
      const result = run(d, observed, {}, { unmanagedNamed: [image] });
      expect(touched(result)).not.toContain(image.id);
      expect(byLevel(result, 'warn')).toEqual([
        `image untagged-1 carries image_name Ubuntu 24.04 but lacks the tag ${TAG}: left alone (tag it to have it managed)`,
      ]);
    });

    it('found by its name alone, too; an image of another project is not ours to miss', () => {
      const named = untagged({ name: 'Ubuntu 24.04', image_name: undefined });
      const result = run(d, observed, {}, { unmanagedNamed: [named] });
      expect(byLevel(result, 'warn')).toEqual([
        `image untagged-1 is called Ubuntu 24.04 but lacks the tag ${TAG}: left alone (tag it to have it managed)`,
      ]);
      const foreign = untagged({ owner: 'project-other' });
      expect(byLevel(run(d, observed, {}, { unmanagedNamed: [foreign] }), 'warn')).toEqual([]);
    });

    it('one warning only when users see it beside ours (rule 12 names it)', () => {
      const shown = untagged({ visibility: 'public', owner: PROJECT });
      const result = run(d, observed, {}, { unmanagedNamed: [shown] });
      expect(byLevel(result, 'warn')).toEqual([
        'image untagged-1 (not managed) is also called Ubuntu 24.04: users see two',
      ]);
    });
  });

  it('a delete --delete asks for that Glance would refuse (protected) is a warning', () => {
    const d = def({ versions: ['20250101', '20250201'], meta: { uuid_validity: 'none' } });
    const observed = [glanceImage(d, '20250101', { protected: true }), glanceImage(d, '20250201')];
    const result = run(d, observed, { delete: true });
    expect(result.actions.filter((action) => action.kind === 'delete')).toEqual([]);
    expect(byLevel(result, 'warn')).toEqual([
      'past its retention, but protected: --delete leaves it (Glance refuses to delete a protected image)',
    ]);
    // Without --delete nothing is refused: retention only says what --delete would do.
    expect(byLevel(run(d, observed), 'warn')).toEqual([]);
  });
});
