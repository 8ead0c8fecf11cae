import { describe, expect, it } from 'vitest';
import { inventory } from '../../../src/plan/inventory.js';
import { def, glanceImage, imports, renames, run, version } from './helpers.js';

// The newest version is the newest build, whatever form its label takes: it gets the plain name, --latest keeps
// it, retention counts from it. Labels that tell no date (release numbers) keep OIM's natural order.

/** The version whose image holds the plain name once the run is done. */
const plainNamed = (result: ReturnType<typeof run>) =>
  result.definitions[0]?.versions.find((entry) =>
    entry.decisions.some((decision) => 'name' in decision && decision.name === 'Ubuntu 24.04'),
  )?.version;

describe('plan: the newest version by build date (issue 16)', () => {
  // The versions as the loader of old gave them: natural label order, `2026-03-01` before `20260215`.
  const mixed = def({ versions: ['2026-03-01', '20260215'] });

  it('gives the plain name to 2026-03-01, built after 20260215', () => {
    const result = run(mixed, []);
    expect(plainNamed(result)).toBe('2026-03-01');
    expect(imports(result).map((action) => action.desired.name)).toEqual(['Ubuntu 24.04 (20260215)', 'Ubuntu 24.04']);
  });

  it('--latest imports only 2026-03-01', () => {
    const result = run(mixed, [], { latest: true });
    expect(imports(result).map((action) => action.desired.version)).toEqual(['2026-03-01']);
  });

  it('a new build 20260401 after v20260301 takes the plain name from it', () => {
    const d = def({ versions: ['20260401', 'v20260301'] });
    const held = glanceImage(d, 'v20260301', { current: true });
    const result = run(d, [held]);
    expect(plainNamed(result)).toBe('20260401');
    expect(renames(result).map((action) => action.to)).toEqual(['Ubuntu 24.04 (v20260301)', 'Ubuntu 24.04']);
  });

  it('labels without dates keep natural order: 9.10 after 9.9, whatever their build dates', () => {
    const d = def({
      versions: [version('9.10', { build_date: '2026-01-01' }), version('9.9', { build_date: '2026-02-01' })],
    });
    expect(plainNamed(run(d, []))).toBe('9.10');
  });

  it('places a version found in Glance but no longer defined by the image_build_date its image carries', () => {
    const d = def({ versions: ['2026-03-01'] });
    const gone = glanceImage(d, '20260215', { current: false });
    const stamped = glanceImage(d, '20260315', { current: false, image_build_date: '2026-02-01' });
    const slots = inventory(d, [
      { image: gone, version: '20260215', via: 'properties' },
      { image: stamped, version: '20260315', via: 'properties' },
    ]);
    expect(slots.map((slot) => slot.version)).toEqual(['20260315', '20260215', '2026-03-01']);
  });

  it('a version found that tells no date: natural order for every slot, as before', () => {
    const d = def({ versions: ['20260301'] });
    const found = glanceImage(d, 'beta', { current: false });
    const slots = inventory(d, [{ image: found, version: 'beta', via: 'properties' }]);
    expect(slots.map((slot) => slot.version)).toEqual(['20260301', 'beta']);
  });
});
