import { describe, expect, it } from 'vitest';
import { tooOldImages } from '../../../src/plan/age.js';
import { TAG, def, glanceImage } from './helpers.js';

describe('--check-age', () => {
  const ubuntu = def({ name: 'Ubuntu 24.04', multi: true, versions: ['20250101', '20250601'] });

  it('warns about a managed image built more than --max-age days before the newest definition', () => {
    const old = glanceImage(ubuntu, '20250101', { image_build_date: '2025-01-01' });
    const fresh = glanceImage(ubuntu, '20250601', { image_build_date: '2025-06-01' });
    const notes = tooOldImages([ubuntu], [old, fresh], TAG, 90);
    expect(notes.map((n) => n.image)).toEqual([old.name]);
    expect(notes[0]?.message).toContain('151 days');
  });

  it('says nothing within --max-age, or about images without the tag', () => {
    const old = glanceImage(ubuntu, '20250101', { image_build_date: '2025-01-01' });
    expect(tooOldImages([ubuntu], [old], TAG, 200)).toEqual([]);
    expect(tooOldImages([ubuntu], [{ ...old, tags: [] }], TAG, 90)).toEqual([]);
  });
});
