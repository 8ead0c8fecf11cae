import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { assignOwnership } from '../../../src/definitions/identify.js';
import { versionInName } from '../../../src/definitions/names.js';
import type { Plan } from '../../../src/plan/types.js';
import { hasOutdatedMarker } from '../../../src/scs/outdated-names.js';
import {
  applyToCloud,
  def,
  glanceImage,
  imports,
  noteTexts,
  PROJECT,
  renames,
  run,
  TAG,
  version,
  without,
} from './helpers.js';

const VERSIONS = ['20240101', '20240201', '20240301'];
const names = (images: GlanceImage[]) => images.map((image) => image.name).sort();
/** Runs the plan on the cloud, then plans again: the second plan must be empty (converged). */
function converge(result: Plan, observed: GlanceImage[], again: (cloud: GlanceImage[]) => Plan): GlanceImage[] {
  const cloud = applyToCloud(result, observed);
  expect(again(cloud).actions.map((action) => action.summary)).toEqual([]);
  return cloud;
}

describe('plan: outdated versions named the way scs-0102 reads them (rule 5)', () => {
  it("keeps OIM's NAME (VERSION) by default", () => {
    const d = def({ versions: VERSIONS });
    const result = run(d, [], {});
    expect(names(applyToCloud(result, []))).toEqual([
      'Ubuntu 24.04',
      'Ubuntu 24.04 (20240101)',
      'Ubuntu 24.04 (20240201)',
    ]);
  });

  it('names outdated versions NAME YYYYMMDD with --outdated-names scs, the newest keeping the plain name', () => {
    const d = def({ versions: VERSIONS });
    const result = run(d, [], { outdatedNames: 'scs' });
    const cloud = converge(result, [], (now) => run(d, now, { outdatedNames: 'scs' }));
    expect(names(cloud)).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 20240101', 'Ubuntu 24.04 20240201']);
    expect(
      names(cloud)
        .filter((name) => name !== 'Ubuntu 24.04')
        .every((name) => hasOutdatedMarker(name ?? '')),
    ).toBe(true);
  });

  it('takes the day from build_date, not from the version', () => {
    const d = def({
      versions: [version('1.0', { build_date: '2024-05-06' }), version('1.1', { build_date: '2024-07-08' })],
    });
    expect(names(applyToCloud(run(d, [], { outdatedNames: 'scs' }), []))).toEqual([
      'Ubuntu 24.04',
      'Ubuntu 24.04 20240506',
    ]);
  });

  it("uses a definition's outdated_names: scs; --outdated-names overrides it", () => {
    const d = def({ versions: VERSIONS, outdated_names: 'scs' });
    expect(names(applyToCloud(run(d, []), []))).toContain('Ubuntu 24.04 20240201');
    expect(names(applyToCloud(run(d, [], { outdatedNames: 'oim' }), []))).toContain('Ubuntu 24.04 (20240201)');
    const oim = def({ versions: VERSIONS, outdated_names: 'oim' });
    expect(names(applyToCloud(run(oim, [], { outdatedNames: 'scs' }), []))).toContain('Ubuntu 24.04 20240201');
  });

  it('renames existing outdated images when the style changes, both ways, and converges', () => {
    const d = def({ versions: VERSIONS });
    const observed = VERSIONS.map((v) => glanceImage(d, v));
    const toScs = run(d, observed, { outdatedNames: 'scs' });
    // A normal rename each: the identity comes from the properties, not the name.
    expect(toScs.actions.map((action) => action.kind)).toEqual(['rename', 'rename']);
    expect(renames(toScs).map((action) => action.to)).toEqual(['Ubuntu 24.04 20240101', 'Ubuntu 24.04 20240201']);
    const scsCloud = converge(toScs, observed, (now) => run(d, now, { outdatedNames: 'scs' }));
    const back = run(d, scsCloud, { outdatedNames: 'oim' });
    const oimCloud = converge(back, scsCloud, (now) => run(d, now, {}));
    expect(names(oimCloud)).toEqual(names(observed));
  });

  it('rotates a new version in: the one current until now becomes NAME YYYYMMDD', () => {
    const d = def({ versions: VERSIONS });
    const observed = VERSIONS.slice(0, 2).map((v) => glanceImage(d, v, { current: v === '20240201' }));
    const opts = { outdatedNames: 'scs' as const };
    const result = run(d, observed, opts);
    expect(imports(result)).toHaveLength(1);
    const cloud = converge(result, observed, (now) => run(d, now, opts));
    expect(names(cloud)).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 20240101', 'Ubuntu 24.04 20240201']);
  });

  it("falls back to OIM's form, with a note, for a version without build_date that is no date", () => {
    const d = def({ versions: ['1.0', '1.1'] });
    const result = run(d, [], { outdatedNames: 'scs' });
    expect(names(applyToCloud(result, []))).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 (1.0)']);
    expect(noteTexts(result)).toContain(
      "Ubuntu 24.04 (1.0): version 1.0 is named Ubuntu 24.04 (1.0), OIM's way: it has no build_date and is no " +
        "YYYYMMDD date, so it cannot be named scs-0102's way (NAME YYYYMMDD)",
    );
    // The current version is not renamed at all: no note about it.
    expect(noteTexts(result).join('\n')).not.toContain('version 1.1');
  });

  it("falls back to OIM's form for versions sharing a build day (two images of one name)", () => {
    const d = def({
      versions: [
        version('1.0', { build_date: '2024-05-06' }),
        version('1.1', { build_date: '2024-05-06' }),
        version('1.2', { build_date: '2024-07-08' }),
      ],
    });
    const result = run(d, [], { outdatedNames: 'scs' });
    expect(names(applyToCloud(result, []))).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 (1.0)', 'Ubuntu 24.04 (1.1)']);
    expect(noteTexts(result).join('\n')).toContain('versions 1.0, 1.1 share the build day 20240506');
  });

  it("names a version no longer defined after its image's image_build_date", () => {
    const d = def({ versions: ['20240201', '20240301'] });
    const gone = glanceImage(def({ versions: ['20231201'] }), '20231201', { current: false });
    const observed = [gone, glanceImage(d, '20240201', { current: false }), glanceImage(d, '20240301')];
    const cloud = applyToCloud(run(d, observed, { outdatedNames: 'scs' }), observed);
    expect(names(cloud)).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 20231201', 'Ubuntu 24.04 20240201']);
  });
});

describe('identify: both forms of an outdated name are the tool’s own (rule 1)', () => {
  const d = def({ versions: [version('1.0', { build_date: '2024-05-06' }), ...VERSIONS.map((v) => version(v))] });

  it('reads the version from NAME (VERSION) and from NAME YYYYMMDD', () => {
    expect(versionInName(d, 'Ubuntu 24.04 (1.0)')).toBe('1.0');
    expect(versionInName(d, 'Ubuntu 24.04 20240506')).toBe('1.0');
    expect(versionInName(d, 'Ubuntu 24.04 20240201')).toBe('20240201');
    expect(versionInName(d, 'Ubuntu 24.04 20991231')).toBe('20991231');
    expect(versionInName(d, 'Ubuntu 24.04 old')).toBeUndefined();
    expect(versionInName(def({ multi: false, name: 'Cirros' }), 'Cirros 0.6.2')).toBe('0.6.2');
  });

  it('claims a tagged image without identity properties by its SCS name', () => {
    const bare = without(
      glanceImage(d, '20240201', { name: 'Ubuntu 24.04 20240201' }),
      'image_name',
      'internal_version',
    );
    const owned = assignOwnership([d], [bare], TAG, PROJECT).byDefinition.get(d.name) ?? [];
    expect(owned.map((entry) => [entry.version, entry.via])).toEqual([['20240201', 'name']]);
    // Its style is the operator's to choose: the default plan renames it OIM's way, and touches nothing else.
    const result = run(d, [bare, glanceImage(d, '20240301')]);
    expect(renames(result).map((action) => action.to)).toEqual(['Ubuntu 24.04 (20240201)']);
  });
});
