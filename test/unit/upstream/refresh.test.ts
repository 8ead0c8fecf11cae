import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import type { FetchLike } from '../../../src/net/fetch.js';
import { discoverUpdates, hasUpstream, type DefinitionUpdate } from '../../../src/upstream/refresh.js';
import {
  FakeUpstream,
  REAL,
  realRoutes,
  upstreamDefinition,
  writtenVersion,
  type RealUpstream,
} from './fake-upstream.js';
import { fixture } from './helpers.js';
import { FakeClock, turns } from '../net/fake-clock.js';

const OPTIONS = { parallel: 3, timeoutMs: 5_000 };

function isoOf(ymd: string): string {
  return `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
}

function byName(results: DefinitionUpdate[], name: string): DefinitionUpdate {
  const found = results.find((result) => result.definition.name === name);
  if (found === undefined) throw new Error(`no result for ${name}`);
  return found;
}

const reals = Object.values(REAL);
const dayOf = (real: RealUpstream) => (real.date ?? real.lastModifiedDay) as string;

describe('discoverUpdates on the real shapes', () => {
  it('offers every upstream its newest build as a new version, pinned and dated', async () => {
    const fake = new FakeUpstream(realRoutes());
    const definitions = [
      ...reals.map((real) => upstreamDefinition(real.name, real)),
      upstreamDefinition('No upstream', undefined),
    ];
    const results = await discoverUpdates(definitions, { ...OPTIONS, fetch: fake.fetch });

    // Only definitions that name their upstream, in their order.
    expect(results.map((result) => result.definition.name)).toEqual(reals.map((real) => real.name));
    for (const real of reals) {
      const result = byName(results, real.name);
      expect(result.error, real.name).toBeUndefined();
      expect(result.layout, real.name).toBe(real.layout);
      expect(result.offered, real.name).toEqual({ url: real.url, checksum: real.checksum, date: dayOf(real) });
      expect(result.decision, real.name).toEqual({
        kind: 'new',
        version: {
          line: 1,
          version: dayOf(real),
          url: real.url,
          checksum: real.checksum,
          build_date: isoOf(dayOf(real)),
          meta: {},
        },
      });
      // Two GETs for dated folders, one for a checksum file; one HEAD more where the URL tells no date.
      const expected = (real.layout === 'dated-folders' ? 2 : 1) + (real.date === undefined ? 1 : 0);
      expect(result.requests, real.name).toBe(expected);
    }
    expect(fake.requests).toHaveLength(results.reduce((sum, result) => sum + result.requests, 0));
    expect(
      fake.requests
        .filter((request) => request.method === 'HEAD')
        .map((request) => request.url)
        .sort(),
    ).toEqual([REAL.fedora!.url, REAL.rocky!.url, REAL.sidecar!.url].sort());
  });

  it('a definition that already lists the build is current: at most 2 requests and no HEAD', async () => {
    const fake = new FakeUpstream(realRoutes());
    const definitions = reals.map((real) =>
      upstreamDefinition(real.name, real, [
        writtenVersion('20200101'),
        writtenVersion('20200201', { url: real.url, checksum: real.checksum }),
      ]),
    );
    const results = await discoverUpdates(definitions, { ...OPTIONS, fetch: fake.fetch });
    for (const real of reals) {
      const result = byName(results, real.name);
      expect(result.error, real.name).toBeUndefined();
      expect(result.decision, real.name).toEqual({ kind: 'current', version: '20200201' });
      expect(result.requests, real.name).toBeLessThanOrEqual(2);
      expect(result.requests, real.name).toBe(real.layout === 'dated-folders' ? 2 : 1);
      // The date is not asked for: offered carries it only where the URL tells it.
      expect(result.offered, real.name).toEqual({
        url: real.url,
        checksum: real.checksum,
        ...(real.date ? { date: real.date } : {}),
      });
    }
    expect(fake.requests.filter((request) => request.method === 'HEAD')).toEqual([]);
  });

  it('a build older than the newest defined version is offered but not taken', async () => {
    const fake = new FakeUpstream(realRoutes());
    const definitions = reals.map((real) => upstreamDefinition(real.name, real, [writtenVersion('20270101')]));
    // On 2027-01-01: a version dated after tomorrow would not count (hostile-dates.test.ts).
    const clock = new FakeClock(Date.parse('2027-01-01T12:00:00Z'));
    const results = await discoverUpdates(definitions, { ...OPTIONS, fetch: fake.fetch, clock });
    for (const real of reals) {
      expect(byName(results, real.name).decision, real.name).toEqual({
        kind: 'older',
        newest: '20270101',
        offered: dayOf(real),
      });
    }
  });

  it('a new build replaces the oldest version and keeps the count', async () => {
    const real = REAL.ubuntu!;
    const fake = new FakeUpstream(realRoutes());
    const def = upstreamDefinition(real.name, real, [writtenVersion('20260307'), writtenVersion('20260615')]);
    const [result] = await discoverUpdates([def], { ...OPTIONS, fetch: fake.fetch });
    expect(result?.decision?.kind).toBe('new');
    if (result?.decision?.kind !== 'new') return;
    expect(result.decision.version.version).toBe('20260705');
    expect(result.decision.drop?.version).toBe('20260307');
  });

  it('asks at most `parallel` definitions at once', async () => {
    const fake = new FakeUpstream(realRoutes());
    let inFlight = 0;
    let most = 0;
    const fetch: FetchLike = async (url, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await turns(1);
        return await fake.fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    const results = await discoverUpdates(
      reals.map((real) => upstreamDefinition(real.name, real)),
      { ...OPTIONS, parallel: 2, fetch },
    );
    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThan(1);
  });
});

describe('discoverUpdates failures', () => {
  const SIDECAR = 'https://images.example.org/failing/';
  const sidecarDigest = `${'9'.repeat(64)}\n`;

  function failingUpstream(): { fake: FakeUpstream; definitions: ImageDefinition[] } {
    const fake = new FakeUpstream({
      ...realRoutes(),
      'https://broken.example.org/nodated/': fixture('nginx/index.html').replace(/\d{8}-\d{4}\//g, 'notes/'),
      'https://mirror-a.example.org/noble/': fixture('ubuntu2404/index.html'),
      'https://mirror-a.example.org/noble/20260705/SHA256SUMS': `${'3'.repeat(64)} *noble-server-cloudimg-arm64.img\n`,
      'https://mirror-b.example.org/trixie/daily/': fixture('debian13/index.html'),
      [`${SIDECAR}empty.qcow2.sha256`]: '\n',
      [`${SIDECAR}undated.qcow2.sha256`]: sidecarDigest,
      [`${SIDECAR}undated.qcow2`]: { body: '' },
      [`${SIDECAR}garbage.qcow2.sha256`]: sidecarDigest,
      [`${SIDECAR}garbage.qcow2`]: { headers: { 'Last-Modified': '2026-11-25 10:00' } },
    });
    const stream9 = 'https://cloud.centos.org/centos/9-stream/x86_64/images/';
    const source = (latestUrl: string, latestChecksumUrl: string) => ({ latestUrl, latestChecksumUrl });
    const definitions = [
      upstreamDefinition(
        'No dated folder',
        source(
          'https://broken.example.org/nodated/latest/x.qcow2',
          'https://broken.example.org/nodated/latest/SHA512SUMS',
        ),
      ),
      upstreamDefinition(
        'File not listed',
        source(
          'https://mirror-a.example.org/noble/current/noble-server-cloudimg-amd64.img',
          'https://mirror-a.example.org/noble/current/SHA256SUMS',
        ),
      ),
      upstreamDefinition(
        'Checksum 404',
        source(
          'https://mirror-b.example.org/trixie/daily/latest/debian-13-genericcloud-amd64-daily.qcow2',
          'https://mirror-b.example.org/trixie/daily/latest/SHA512SUMS',
        ),
      ),
      upstreamDefinition(
        'Invalid placeholder',
        source(String.raw`${stream9}CentOS-Stream-GenericCloud-9-HEREBE[\dDRAGONS.x86_64.qcow2`, `${stream9}CHECKSUM`),
      ),
      upstreamDefinition(
        'Placeholder matches nothing',
        source(
          String.raw`${stream9}CentOS-Stream-GenericCloud-10-HEREBE\d+\.\dDRAGONS.x86_64.qcow2`,
          `${stream9}CHECKSUM`,
        ),
      ),
      upstreamDefinition('Sidecar without digest', source(`${SIDECAR}empty.qcow2`, `${SIDECAR}empty.qcow2.sha256`)),
      upstreamDefinition('No Last-Modified', source(`${SIDECAR}undated.qcow2`, `${SIDECAR}undated.qcow2.sha256`)),
      upstreamDefinition('Garbage Last-Modified', source(`${SIDECAR}garbage.qcow2`, `${SIDECAR}garbage.qcow2.sha256`)),
      upstreamDefinition(
        'Credentials',
        source(
          'https://reader:secret-pass@private.example.org/images/x.qcow2',
          'https://reader:secret-pass@private.example.org/images/x.qcow2.sha256',
        ),
      ),
      upstreamDefinition(REAL.ubuntu!.name, REAL.ubuntu),
      upstreamDefinition(REAL.rocky!.name, REAL.rocky),
      upstreamDefinition(REAL.stream9!.name, REAL.stream9),
    ];
    return { fake, definitions };
  }

  it('keeps each failure with its definition, naming the URL and what was expected', async () => {
    const { fake, definitions } = failingUpstream();
    const results = await discoverUpdates(definitions, { ...OPTIONS, fetch: fake.fetch });
    const errors = Object.fromEntries(results.map((result) => [result.definition.name, result.error]));
    expect(errors).toEqual({
      'No dated folder':
        'https://broken.example.org/nodated/: lists no dated build folder (YYYYMMDD/, release-YYYYMMDD/ or YYYYMMDD-N/)',
      'File not listed':
        'https://mirror-a.example.org/noble/20260705/SHA256SUMS: does not list noble-server-cloudimg-amd64.img',
      'Checksum 404': 'https://mirror-b.example.org/trixie/daily/20260717-2542/SHA512SUMS: answered HTTP 404',
      'Invalid placeholder': expect.stringMatching(
        /^https:\/\/cloud\.centos\.org\/centos\/9-stream\/x86_64\/images\/CentOS-Stream-GenericCloud-9-HEREBE\[\\dDRAGONS\.x86_64\.qcow2: invalid placeholder: "\[\\\\d" is no valid regex \(.+\)$/,
      ),
      'Placeholder matches nothing': String.raw`https://cloud.centos.org/centos/9-stream/x86_64/images/CHECKSUM: lists no file matching ^CentOS-Stream-GenericCloud-10-(?:\d+\.\d)\.x86_64\.qcow2$`,
      'Sidecar without digest': `${SIDECAR}empty.qcow2.sha256: holds no checksum of empty.qcow2`,
      'No Last-Modified': `${SIDECAR}undated.qcow2: answered without Last-Modified, so the build date is unknown`,
      'Garbage Last-Modified': `${SIDECAR}garbage.qcow2: answered Last-Modified "2026-11-25 10:00", which is no HTTP date`,
      Credentials: 'https://reader:***@private.example.org/images/x.qcow2.sha256: answered HTTP 404',
      [REAL.ubuntu!.name]: undefined,
      [REAL.rocky!.name]: undefined,
      [REAL.stream9!.name]: undefined,
    });
    for (const result of results) expect(result.error ?? '').not.toContain('secret');

    // The others are fine.
    for (const real of [REAL.ubuntu!, REAL.rocky!, REAL.stream9!]) {
      const result = byName(results, real.name);
      expect(result.offered, real.name).toEqual({ url: real.url, checksum: real.checksum, date: dayOf(real) });
      expect(result.decision?.kind, real.name).toBe('new');
    }
  });

  it('counts the requests a failing definition made, and decides nothing for it', async () => {
    const { fake, definitions } = failingUpstream();
    const results = await discoverUpdates(definitions, { ...OPTIONS, fetch: fake.fetch });
    const requests = Object.fromEntries(results.map((result) => [result.definition.name, result.requests]));
    expect(requests).toMatchObject({
      'No dated folder': 1,
      'File not listed': 2,
      'Checksum 404': 2,
      'Invalid placeholder': 0,
      'Placeholder matches nothing': 1,
      'Sidecar without digest': 1,
      'No Last-Modified': 2,
      'Garbage Last-Modified': 2,
      Credentials: 1,
    });
    for (const result of results.filter((entry) => entry.error !== undefined)) {
      expect(result.decision, result.definition.name).toBeUndefined();
    }
    // The build was found before its date was asked for.
    expect(byName(results, 'No Last-Modified').offered).toEqual({
      url: `${SIDECAR}undated.qcow2`,
      checksum: { algo: 'sha256', hex: '9'.repeat(64) },
    });
  });

  it('a definition whose upstream fails does not stop a definition that lists its build', async () => {
    const fake = new FakeUpstream(realRoutes());
    const real = REAL.alma!;
    const definitions = [
      upstreamDefinition('Gone', {
        latestUrl: 'https://gone.example.org/images/x.qcow2',
        latestChecksumUrl: 'https://gone.example.org/images/CHECKSUM',
      }),
      upstreamDefinition(real.name, real, [writtenVersion('20260526', { url: real.url, checksum: real.checksum })]),
    ];
    const results = await discoverUpdates(definitions, { ...OPTIONS, parallel: 1, fetch: fake.fetch });
    expect(results.map((result) => [result.definition.name, result.error ?? result.decision])).toEqual([
      ['Gone', 'https://gone.example.org/images/CHECKSUM: answered HTTP 404'],
      [real.name, { kind: 'current', version: '20260526' }],
    ]);
  });
});

describe('hasUpstream', () => {
  it('needs both latest_url and latest_checksum_url', () => {
    expect(hasUpstream(upstreamDefinition('x', REAL.ubuntu))).toBe(true);
    expect(hasUpstream(upstreamDefinition('x', undefined))).toBe(false);
    const { latest_checksum_url: _dropped, ...half } = upstreamDefinition('x', REAL.ubuntu);
    expect(hasUpstream(half)).toBe(false);
  });

  it('asks a definition that names its layout, so what it lacks is reported', () => {
    const { latest_checksum_url: _dropped, ...half } = upstreamDefinition('x', REAL.ubuntu);
    expect(hasUpstream({ ...half, upstream_layout: 'dated-folders' })).toBe(true);
  });
});

describe('discoverUpdates and the layout registry', () => {
  it('reads an upstream with the layout its definition names, over the one its URLs look like', async () => {
    const fake = new FakeUpstream(realRoutes());
    const real = REAL.rocky!;
    const def = { ...upstreamDefinition(real.name, real), upstream_layout: 'checksum-file' as const };
    const [result] = await discoverUpdates([def], { ...OPTIONS, fetch: fake.fetch });
    expect(result?.layout).toBe('checksum-file');
    expect(result?.error).toBeUndefined();
    expect(result?.offered).toMatchObject({ url: real.url, checksum: real.checksum });
  });

  it('fails a definition whose URLs no layout recognises, naming them, without a request', async () => {
    const fake = new FakeUpstream(realRoutes());
    const source = {
      latestUrl: 'https://example.org/images/x.qcow2',
      latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256',
    };
    const [result] = await discoverUpdates([upstreamDefinition('Elsewhere', source)], {
      ...OPTIONS,
      fetch: fake.fetch,
    });
    expect(result).toEqual({
      definition: upstreamDefinition('Elsewhere', source),
      error:
        `no upstream layout recognises latest_url ${source.latestUrl} with latest_checksum_url ` +
        `${source.latestChecksumUrl}; name one with upstream_layout (release-feed, sidecar, dated-folders, checksum-file, marker)`,
      requests: 0,
    });
    expect(fake.requests).toEqual([]);
  });
});
