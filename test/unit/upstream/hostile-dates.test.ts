import { describe, expect, it } from 'vitest';
import type { VersionDefinition } from '../../../src/definitions/types.js';
import type { FetchLike } from '../../../src/net/fetch.js';
import { definitionsForRun } from '../../../src/upstream/for-run.js';
import { decideUpdate, withNewVersion } from '../../../src/upstream/next-version.js';
import { discoverUpdates } from '../../../src/upstream/refresh.js';
import { FakeClock } from '../net/fake-clock.js';
import { FakeUpstream, upstreamDefinition, writtenVersion } from './fake-upstream.js';

// Dates an upstream gives cannot hold a definition back: each case below was taken before.

const DIGEST = 'c'.repeat(64);
/** The last day a build may be dated on 2026-12-07. */
const LATEST_DAY = '20261208';

const UBUNTU = 'https://cloud-images.ubuntu.com/noble/';
const ubuntu = upstreamDefinition(
  'Ubuntu 24.04',
  { latestUrl: `${UBUNTU}current/noble-server-cloudimg-amd64.img`, latestChecksumUrl: `${UBUNTU}current/SHA256SUMS` },
  [writtenVersion('20261101', { build_date: '2026-11-01' })],
);

/** Ubuntu's listing with a real build of 2026-12-01 and one more folder. */
function ubuntuWith(folder: string): FakeUpstream {
  const link = (name: string) => `<a href="${name}/">${name}/</a>`;
  return new FakeUpstream({
    [UBUNTU]: `<h1>Index of /noble</h1>${link('20261101')}${link('20261201')}${link(folder)}`,
    [`${UBUNTU}20261201/SHA256SUMS`]: `${'1'.repeat(64)} *noble-server-cloudimg-amd64.img\n`,
    [`${UBUNTU}${folder}/SHA256SUMS`]: `${'2'.repeat(64)} *noble-server-cloudimg-amd64.img\n`,
  });
}

describe('a build dated after tomorrow is refused', () => {
  // 2026-12-07, late in the day (UTC).
  const clock = new FakeClock(Date.parse('2026-12-07T23:30:00Z'));
  const options = (fetch: FetchLike) => ({ fetch, parallel: 2, timeoutMs: 5000, clock });

  it('a folder dated 20990101 is not written: the definition fails naming it', async () => {
    const [result] = await discoverUpdates([ubuntu], options(ubuntuWith('20990101').fetch));
    expect(result?.decision).toBeUndefined();
    expect(result?.error).toBe(
      `${UBUNTU}20990101/noble-server-cloudimg-amd64.img: offers a build dated 2099-01-01, after tomorrow ` +
        '(2026-12-08): not taken',
    );
  });

  it('a build dated tomorrow is taken (time zones), the day after is not', async () => {
    const [tomorrow] = await discoverUpdates([ubuntu], options(ubuntuWith('20261208').fetch));
    expect(tomorrow?.decision).toMatchObject({ kind: 'new', version: { version: '20261208' } });
    const [later] = await discoverUpdates([ubuntu], options(ubuntuWith('20261209').fetch));
    expect(later?.error).toMatch(/offers a build dated 2026-12-09, after tomorrow \(2026-12-08\): not taken$/);
  });

  it('a Last-Modified after tomorrow is refused too', async () => {
    const file = 'https://images.example.org/cloud/example.qcow2';
    const fake = new FakeUpstream({
      [`${file}.sha256`]: `${DIGEST}\n`,
      [file]: { headers: { 'Last-Modified': 'Thu, 01 Jan 2099 00:00:00 GMT' } },
    });
    const def = upstreamDefinition('Example', { latestUrl: file, latestChecksumUrl: `${file}.sha256` });
    const [result] = await discoverUpdates([def], options(fake.fetch));
    expect(result?.error).toMatch(/offers a build dated 2099-01-01, after tomorrow/);
  });

  it('a marker dated after tomorrow is refused, naming the build', async () => {
    const base = 'https://objects.example.org/amphora';
    const file = 'octavia-amphora-haproxy-2025.2.20261209.qcow2';
    const fake = new FakeUpstream({
      [`${base}/last-2025.2`]: `2026-12-09 ${file}\n`,
      [`${base}/${file}.CHECKSUM`]: `${DIGEST}  ${file}\n`,
    });
    const def = {
      ...upstreamDefinition('Amphora', undefined),
      latest_url: `${base}/last-2025.2`,
      upstream_layout: 'marker',
    };
    const [result] = await discoverUpdates([def], options(fake.fetch));
    expect(result?.error).toBe(
      `${base}/${file}: offers a build dated 2026-12-09, after tomorrow (2026-12-08): not taken`,
    );
  });

  it('--update plans no import of it: the definition is planned as written, and the run fails', async () => {
    const run = await definitionsForRun([ubuntu], [], {
      ...options(ubuntuWith('20990101').fetch),
      update: true,
      tag: 'managed_by_image_manager',
    });
    expect(run.definitions).toEqual([ubuntu]);
    expect(run.failures).toEqual([{ definition: 'Ubuntu 24.04', message: expect.stringContaining('2099-01-01') }]);
  });
});

describe('the newest build is told by build date, never by version labels', () => {
  const build = { url: 'https://example.org/image-20260201.qcow2', checksum: { algo: 'sha256', hex: DIGEST } };
  const def = (versions: VersionDefinition[]) => upstreamDefinition('Image', undefined, versions);

  it('a build older than a version labelled 2026-03-01 is not written (no downgrade)', () => {
    expect(decideUpdate(def([writtenVersion('2026-03-01')]), { ...build, date: '20260201' }, LATEST_DAY)).toEqual({
      kind: 'older',
      newest: '2026-03-01',
      offered: '20260201',
    });
  });

  it('a build older than a version labelled 9.4 built 2026-03-01 is not written', () => {
    const held = def([writtenVersion('9.4', { build_date: '2026-03-01' })]);
    expect(decideUpdate(held, { ...build, date: '20260201' }, LATEST_DAY)).toMatchObject({
      kind: 'older',
      newest: '9.4',
    });
  });

  it('the newest held build counts wherever it stands in the file', () => {
    const held = def([writtenVersion('20260301'), writtenVersion('20260101')]);
    expect(decideUpdate(held, { ...build, date: '20260201' }, LATEST_DAY)).toMatchObject({
      kind: 'older',
      newest: '20260301',
    });
  });

  it('a version labelled v20260301 is still updated by a newer build', () => {
    const decision = decideUpdate(def([writtenVersion('v20260301')]), { ...build, date: '20260401' }, LATEST_DAY);
    expect(decision).toMatchObject({ kind: 'new', version: { version: '20260401', build_date: '2026-04-01' } });
  });
});

describe('a version already held dated after tomorrow (written by hand or an older tool)', () => {
  // 2026-12-07, as above: 20261201 is a real build, 20990101 none.
  const clock = new FakeClock(Date.parse('2026-12-07T23:30:00Z'));
  const options = (fetch: FetchLike) => ({ fetch, parallel: 2, timeoutMs: 5000, clock });
  const future = writtenVersion('20990101', { build_date: '2099-01-01', line: 31 });
  const held = { ...ubuntu, file: 'images/ubuntu.yml', versions: [...ubuntu.versions, future] };

  it('no longer blocks a real build, stays in the definition, and is warned about once', async () => {
    const [result] = await discoverUpdates([held], options(ubuntuWith('20261130').fetch));
    expect(result?.error).toBeUndefined();
    expect(result?.decision).toMatchObject({
      kind: 'new',
      version: { version: '20261201' },
      drop: { version: '20261101' },
    });
    expect(result?.warning).toBe(
      'images/ubuntu.yml: Ubuntu 24.04 holds 1 version dated after tomorrow (2026-12-08): 20990101 (line 31). ' +
        'No real build is dated so: it does not count as the newest build and upstream builds are still taken; ' +
        'correct its build_date or remove it (until then it sorts as the newest)',
    );
    if (result?.decision?.kind !== 'new') return;
    expect(withNewVersion(held, result.decision).versions.map((entry) => entry.version)).toEqual([
      '20261201',
      '20990101',
    ]);
  });

  it('is not counted by its label either, and a build older than the real newest is still not taken', () => {
    const byLabel = { ...held, versions: [writtenVersion('20261101'), writtenVersion('v20990101')] };
    const build = {
      url: `${UBUNTU}20261201/noble-server-cloudimg-amd64.img`,
      checksum: { algo: 'sha256', hex: DIGEST },
    };
    expect(decideUpdate(byLabel, { ...build, date: '20261201' }, LATEST_DAY)).toMatchObject({ kind: 'new' });
    expect(decideUpdate(byLabel, { ...build, date: '20261001' }, LATEST_DAY)).toEqual({
      kind: 'older',
      newest: '20261101',
      offered: '20261001',
    });
  });

  it('--update plans the real build, with the warning', async () => {
    const run = await definitionsForRun([held], [], {
      ...options(ubuntuWith('20261130').fetch),
      update: true,
      tag: 'managed_by_image_manager',
    });
    expect(run.failures).toEqual([]);
    expect(run.definitions[0]?.versions.map((entry) => entry.version)).toEqual(['20261201', '20990101']);
    expect(run.discovered[0]?.warning).toMatch(
      /^images\/ubuntu\.yml: Ubuntu 24\.04 holds 1 version .*20990101 \(line 31\)/,
    );
  });

  it('a definition without one gets no warning', async () => {
    const [result] = await discoverUpdates([ubuntu], options(ubuntuWith('20261130').fetch));
    expect(result?.decision?.kind).toBe('new');
    expect(result).not.toHaveProperty('warning');
  });
});
