import { describe, expect, it } from 'vitest';
import { def, deletes, glanceImage, imports, noteTexts, run, without } from './helpers.js';

describe('plan: edge cases', () => {
  it('imports a missing version of a single-version image even when a newer one exists (every version is current)', () => {
    const cirros = def({ name: 'Cirros', multi: false, versions: ['0.5.3', '0.6.2'], meta: { os_distro: 'cirros' } });
    const result = run(cirros, [glanceImage(cirros, '0.6.2')]);
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Cirros 0.5.3']);
  });

  it('still never re-imports an older version of a multi image', () => {
    const ubuntu = def({ name: 'Ubuntu 24.04', multi: true, versions: ['20250101', '20250201'] });
    const result = run(ubuntu, [glanceImage(ubuntu, '20250201')]);
    expect(imports(result)).toEqual([]);
    expect(noteTexts(result).join('\n')).toContain('20250101 not imported');
  });

  it('does not let a creation-date stand-in version block the import of the defined versions', () => {
    const ubuntu = def({ name: 'Ubuntu 24.04', multi: true, versions: ['24.04.1', '24.04.2'] });
    // An image OIM wrote long ago: plain name, no image_name or internal_version; created 2025-03-01.
    const legacy = without(
      glanceImage(ubuntu, '24.04.2', { created_at: '2025-03-01T10:00:00Z' }),
      'image_name',
      'internal_version',
    );
    const result = run(ubuntu, [legacy]);
    expect(imports(result).map((a) => a.desired.version)).toEqual(['24.04.1', '24.04.2']);
  });

  it('gives a delete a fallback that retires the image completely when Glance refuses (in use)', () => {
    const ubuntu = def({
      name: 'Ubuntu 24.04',
      multi: true,
      versions: ['20250101', '20250201'],
      meta: { uuid_validity: 'none' },
    });
    const old = glanceImage(ubuntu, '20250101', { current: true }); // still holds the plain name
    const result = run(ubuntu, [old], { delete: true });
    const [removal] = deletes(result);
    expect(removal?.imageId).toBe(old.id);
    const fields = Object.fromEntries((removal?.fallback ?? []).map((change) => [change.field, change.after]));
    expect(fields).toMatchObject({
      name: 'Ubuntu 24.04 (20250101)',
      'properties.os_purpose': 'oldgeneric',
      visibility: 'community',
    });
    expect(fields.status).toBe('deactivated');
  });
});
