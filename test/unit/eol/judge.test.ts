import { describe, expect, it } from 'vitest';
import type { Cycle } from '../../../src/eol/cycles.js';
import { cycleFor, judge, subjectsOf } from '../../../src/eol/judge.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import { def, version } from '../plan/helpers.js';
import { catalogueCycles } from './helpers.js';

const cycles = catalogueCycles();

function named(name: string, osDistro: string, osVersion: string | undefined, more: Partial<ImageDefinition> = {}) {
  return def({ name, meta: { os_distro: osDistro, os_version: osVersion ?? null }, ...more });
}

function run(definitions: ImageDefinition[], today: string, { warnDays = 90, force = false } = {}) {
  const all = subjectsOf(definitions);
  return judge(
    all.filter((subject) => subject.enabled || force),
    all,
    cycles,
    { today, warnDays },
  );
}

function verdictOf(definitions: ImageDefinition[], today: string, options = {}) {
  const [verdict] = run(definitions, today, options).verdicts;
  return verdict;
}

describe('which definitions are past their end of life', () => {
  it('Debian is judged on the end of its free LTS, not on eol: Debian 12 after 2026-07-11 is supported', () => {
    const verdict = verdictOf([named('Debian 12', 'debian', '12')], '2026-12-07');
    expect(verdict).toMatchObject({
      product: 'debian',
      cycle: '12',
      state: 'supported',
      endOfLife: '2028-06-30',
      judgedOn: 'extendedSupport',
    });
  });

  it('Debian 11 past its LTS, on the day it ends and after (as OIM: the end day is past)', () => {
    const debian11 = [named('Debian 11', 'debian', '11')];
    expect(verdictOf(debian11, '2026-08-30')).toMatchObject({ state: 'near', daysLeft: 1 });
    expect(verdictOf(debian11, '2026-08-31')).toMatchObject({ state: 'past', daysLeft: 0 });
    expect(verdictOf(debian11, '2026-12-07')).toMatchObject({
      state: 'past',
      endOfLife: '2026-08-31',
      daysLeft: -98,
      why: 'Debian 11 (extendedSupport) ended on 2026-08-31',
    });
  });

  it('Ubuntu is judged on eol (standard support), its paid ESM is not free support', () => {
    expect(verdictOf([named('Ubuntu 22.04', 'ubuntu', '22.04')], '2027-04-02')).toMatchObject({
      state: 'past',
      endOfLife: '2027-04-01',
      judgedOn: 'eol',
    });
  });

  it('near: within --warn-days, else supported', () => {
    const fedora43 = [named('Fedora 43', 'fedora', '43')];
    expect(verdictOf(fedora43, '2026-12-07')).toMatchObject({ state: 'near', daysLeft: 2, endOfLife: '2026-12-09' });
    expect(verdictOf(fedora43, '2026-12-07', { warnDays: 1 })).toMatchObject({ state: 'supported' });
    expect(verdictOf(fedora43, '2026-12-07', { warnDays: 0 })?.why).toBe(
      'Fedora 43 (eol) ends on 2026-12-09, in 2 days',
    );
  });

  it('an end without a day: ended is past, not announced is supported', () => {
    const own = new Map<string, Cycle[]>([
      [
        'fedora',
        [
          { cycle: '1', lts: false, eol: { kind: 'ended' } },
          { cycle: '2', lts: false, eol: { kind: 'not-announced' } },
        ],
      ],
    ]);
    const subjects = subjectsOf([named('Fedora 1', 'fedora', '1'), named('Fedora 2', 'fedora', '2')]);
    const { verdicts } = judge(subjects, subjects, own, { today: '2026-01-01', warnDays: 90 });
    expect(verdicts.map((verdict) => [verdict.state, verdict.endOfLife, verdict.daysLeft])).toEqual([
      ['past', null, null],
      ['supported', null, null],
    ]);
  });

  it('only enabled definitions are judged, unless --force', () => {
    const old = [named('Ubuntu 20.04', 'ubuntu', '20.04', { enable: false })];
    expect(run(old, '2026-12-07').verdicts).toEqual([]);
    expect(verdictOf(old, '2026-12-07', { force: true })).toMatchObject({ state: 'past', enabled: false });
  });

  it('each group of versions that publishes its own os_version is judged on its own', () => {
    const cirrosLike = def({
      name: 'Debian',
      multi: false,
      meta: { os_distro: 'debian', os_version: null },
      versions: [version('11.11'), version('12.15'), version('12.16')],
    });
    const { verdicts } = run([cirrosLike], '2026-12-07');
    expect(verdicts.map((verdict) => [verdict.versions, verdict.cycle, verdict.state])).toEqual([
      [['11.11'], '11', 'past'],
      [['12.15'], '12', 'supported'],
      [['12.16'], '12', 'supported'],
    ]);
  });
});

describe('a definition that cannot be mapped is unknown, never guessed', () => {
  it.each([
    ['Cirros', 'cirros', '0.6', /no product this tool maps os_distro cirros to/],
    ['Flatcar Container Linux', 'fedora', undefined, /os_distro fedora is Fedora's, but the name does not say Fedora/],
    ['AlmaLinux 9', 'centos', '9', /os_distro centos is CentOS Stream or CentOS Linux's, but the name does not/],
    ['Garden Linux', 'debian', '1877', /os_distro debian is Debian's/],
    ['Ubuntu Noble', 'ubuntu', undefined, /no os_version/],
    ['Ubuntu Noble', 'ubuntu', 'noble', /os_version noble is no cycle of ubuntu/],
    ['openSUSE Tumbleweed', 'opensuse', undefined, /the name does not say openSUSE Leap/],
  ])('%s (os_distro %s, os_version %s)', (name, osDistro, osVersion, why) => {
    expect(verdictOf([named(name, osDistro, osVersion)], '2026-12-07')).toMatchObject({
      state: 'unknown',
      cycle: null,
      endOfLife: null,
      why: expect.stringMatching(why),
    });
  });

  it('no os_distro at all', () => {
    const bare = def({ name: 'Bare', meta: { os_distro: null } });
    expect(verdictOf([bare], '2026-12-07')).toMatchObject({ state: 'unknown', product: null, why: /no os_distro/ });
  });

  it('the name or the shortname may say the product; CentOS 7 is CentOS Linux, CentOS Stream 9 is CentOS Stream', () => {
    const stream = named('CentOS 9', 'centos', '9', { shortname: 'centos-stream-9' });
    const linux = named('CentOS 7', 'centos', '7');
    const { verdicts } = run([stream, linux], '2026-12-07');
    expect(verdicts.map((verdict) => [verdict.product, verdict.cycle, verdict.state])).toEqual([
      ['centos-stream', '9', 'supported'],
      ['centos', '7', 'past'],
    ]);
  });
});

describe('supported releases not defined yet', () => {
  it('Ubuntu: LTS releases only; 26.04 is new, interim 25.10 is not listed', () => {
    const { notDefined } = run([named('Ubuntu 24.04', 'ubuntu', '24.04')], '2026-05-01');
    expect(notDefined).toEqual([
      { product: 'ubuntu', cycle: '22.04', releaseDate: '2022-04-21', endOfLife: '2027-04-01', newer: false },
      { product: 'ubuntu', cycle: '26.04', releaseDate: '2026-04-23', endOfLife: '2031-04-30', newer: true },
    ]);
  });

  it('a release not yet out is not listed (releaseDate after today)', () => {
    const { notDefined } = run([named('Ubuntu 24.04', 'ubuntu', '24.04')], '2026-04-22');
    expect(notDefined.map((release) => release.cycle)).toEqual(['22.04']);
  });

  it('Debian: a release in its free LTS still counts as supported (11 until 2026-08-31)', () => {
    const { notDefined } = run([named('Debian 13', 'debian', '13')], '2026-08-30');
    expect(notDefined.map((release) => [release.cycle, release.endOfLife, release.newer])).toEqual([
      ['11', '2026-08-31', false],
      ['12', '2028-06-30', false],
    ]);
  });

  it('a disabled definition counts as defined (the operator knows the release), as in OIM', () => {
    const definitions = [
      named('AlmaLinux 9', 'almalinux', '9'),
      named('AlmaLinux 10', 'almalinux', '10', { enable: false }),
    ];
    const { notDefined, verdicts } = run(definitions, '2026-12-07');
    expect(notDefined.map((release) => [release.cycle, release.newer])).toEqual([['8', false]]);
    expect(verdicts.map((verdict) => verdict.definition)).toEqual(['AlmaLinux 9']);
  });

  it('the products are those of the definitions: no Fedora definition, no Fedora release', () => {
    const { notDefined } = run([named('Rocky 9', 'rocky', '9')], '2026-12-07');
    expect(notDefined.map((release) => `${release.product} ${release.cycle}`)).toEqual([
      'rocky-linux 8',
      'rocky-linux 10',
    ]);
  });

  it('a product whose definitions map to no cycle: every supported release is new', () => {
    const { notDefined } = run([named('Fedora Rawhide', 'fedora', 'rawhide')], '2026-12-07');
    expect(notDefined.map((release) => [release.cycle, release.newer])).toEqual([
      ['43', true],
      ['44', true],
    ]);
  });
});

describe('the cycle of an os_version', () => {
  const debian = cycles.get('debian') ?? [];
  it.each([
    ['12', '12'],
    ['12.8', '12'],
    ['3.1', '3.1'],
    ['3.1.2', '3.1'],
    ['120', undefined],
    ['1', undefined],
  ])('%s → %s', (osVersion, cycle) => {
    expect(cycleFor(osVersion, debian)?.cycle).toBe(cycle);
  });
});

describe('what is judged of a definition', () => {
  it('a definition no product is known for is one row, whatever its versions publish', () => {
    const cirros = def({
      name: 'Cirros',
      multi: false,
      meta: { os_distro: 'cirros', os_version: null },
      versions: ['0.6.2', '0.6.3'],
    });
    const { verdicts } = run([cirros], '2026-12-07');
    expect(verdicts.map((verdict) => [verdict.versions, verdict.state])).toEqual([[['0.6.2', '0.6.3'], 'unknown']]);
  });

  it('a definition without versions still names its product and cycle (a disabled openSUSE Leap)', () => {
    const leap = named('openSUSE Leap 15.6', 'opensuse', '15.6', { enable: false, versions: [] });
    const { notDefined } = run([leap], '2025-12-01');
    expect(notDefined).toEqual([
      { product: 'opensuse', cycle: '16.0', releaseDate: '2025-10-01', endOfLife: '2027-10-31', newer: true },
    ]);
    expect(verdictOf([{ ...leap, enable: true }], '2025-12-01')).toMatchObject({ cycle: '15.6', versions: [] });
  });
});
