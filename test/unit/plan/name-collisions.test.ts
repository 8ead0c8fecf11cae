import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { publishedNames } from '../../../src/definitions/names.js';
import { def, glanceImage, stranger as handUploaded, imports, run, TAG, touched } from './helpers.js';

const d = def({ versions: ['20240101', '20240201', '20240301'] });
/** A hand-uploaded image: no managed tag, none of the tool's properties. */
const warnings = (result: ReturnType<typeof run>) =>
  result.notes.filter((n) => n.level === 'warn').map((n) => `${n.image}: ${n.message}`);

describe('plan: names an unmanaged image holds too (rule 12)', () => {
  const observed = [glanceImage(d, '20240101'), glanceImage(d, '20240201', { current: true })];

  it('warns when a public image without the managed tag is called like one the plan names; never touches it', () => {
    const stranger = handUploaded('Ubuntu 24.04');
    const outdated = handUploaded('Ubuntu 24.04 (20240201)', { visibility: 'community' });
    const result = run(d, observed, {}, { unmanagedNamed: [stranger, outdated] });
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04 (20240301)']);
    expect(touched(result)).not.toContain(stranger.id);
    const seeTwo = (image: GlanceImage) =>
      `${image.name}: image ${image.id} (not managed) is also called ${image.name}: users see two`;
    expect(warnings(result)).toEqual([seeTwo(stranger), seeTwo(outdated)]);
  });

  it.each<[string, GlanceImage]>([
    ['a private one', handUploaded('Ubuntu 24.04', { visibility: 'private' })],
    ['a shared one', handUploaded('Ubuntu 24.04', { visibility: 'shared' })],
    ['an os_hidden one', handUploaded('Ubuntu 24.04', { os_hidden: true })],
    ['one with another name', handUploaded('Ubuntu 24.04 custom')],
    ['one called like a version the plan does not keep', handUploaded('Ubuntu 24.04 (20231201)')],
    ['a managed one (it is the planner’s anyway)', { ...handUploaded('Ubuntu 24.04'), tags: [TAG], owner: null }],
  ])('says nothing of %s', (_, image) => {
    expect(warnings(run(d, observed, {}, { unmanagedNamed: [image] }))).toEqual([]);
  });

  it('names what observe should ask Glance for: the plain name and every listed version’s name, in both styles', () => {
    expect(publishedNames(d)).toEqual([
      'Ubuntu 24.04',
      'Ubuntu 24.04 (20240101)',
      'Ubuntu 24.04 (20240201)',
      'Ubuntu 24.04 (20240301)',
      'Ubuntu 24.04 20240101',
      'Ubuntu 24.04 20240201',
      'Ubuntu 24.04 20240301',
    ]);
    const cirros = def({ name: 'Cirros', multi: false, versions: ['0.6.1', '0.6.2'] });
    expect(publishedNames(cirros)).toEqual(['Cirros 0.6.1', 'Cirros 0.6.2']);
  });
});
