import { describe, expect, it } from 'vitest';
import { tooOldImages } from '../../../src/plan/age.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { def, glanceImage, run } from './helpers.js';

/** --check-age over the images the plan of `definitions` finds each one owns. */
const tooOld = (definitions: ImageDefinition[], observed: GlanceImage[], maxAgeDays: number) =>
  tooOldImages(definitions, run(definitions, observed), observed, maxAgeDays);

describe('--check-age', () => {
  const ubuntu = def({ name: 'Ubuntu 24.04', multi: true, versions: ['20250101', '20250601'] });

  it('warns about a managed image built more than --max-age days before the newest definition', () => {
    const old = glanceImage(ubuntu, '20250101', { image_build_date: '2025-01-01' });
    const fresh = glanceImage(ubuntu, '20250601', { image_build_date: '2025-06-01' });
    const notes = tooOld([ubuntu], [old, fresh], 90);
    expect(notes.map((n) => n.image)).toEqual([old.name]);
    expect(notes[0]?.message).toContain('151 days');
  });

  it('says nothing within --max-age, or about images without the tag', () => {
    const old = glanceImage(ubuntu, '20250101', { image_build_date: '2025-01-01' });
    expect(tooOld([ubuntu], [old], 200)).toEqual([]);
    expect(tooOld([ubuntu], [{ ...old, tags: [] }], 90)).toEqual([]);
  });
});
