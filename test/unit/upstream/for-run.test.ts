import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/net/fetch.js';
import { definitionsForRun } from '../../../src/upstream/for-run.js';
import { plan } from '../../../src/plan/plan.js';
import { def, glanceImage, options, PROJECT, TAG } from '../plan/helpers.js';

const BASE = 'https://cloud-images.ubuntu.com/releases/noble';
const hex = (char: string) => char.repeat(64);

function upstream(pages: Record<string, string>, lastModified = 'Tue, 25 Nov 2026 10:00:00 GMT'): FetchLike {
  return async (url, init) => {
    const body = pages[url];
    if (body === undefined) return new Response('missing', { status: 404 }) as never;
    return new Response(init.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { 'last-modified': lastModified },
    }) as never;
  };
}

const noble = {
  [`${BASE}/`]: '<a href="release-20261001/">release-20261001/</a> <a href="release-20261120/">release-20261120/</a>',
  [`${BASE}/release-20261120/SHA256SUMS`]: `${hex('2')} *ubuntu-24.04-server-cloudimg-amd64.img\n`,
};
const withUpstream = def({
  name: 'Ubuntu 24.04',
  latest_url: `${BASE}/release/ubuntu-24.04-server-cloudimg-amd64.img`,
  latest_checksum_url: `${BASE}/release/SHA256SUMS`,
  versions: ['20261001'],
});
const runOptions = (fetch: FetchLike, update = true) => ({
  update,
  tag: TAG,
  projectId: PROJECT,
  fetch,
  parallel: 4,
  timeoutMs: 5000,
});

describe('definitionsForRun (--update and version: latest)', () => {
  it('--update plans the newest build as update would write it: new version in, oldest out', async () => {
    const run = await definitionsForRun([withUpstream], [], runOptions(upstream(noble)));
    expect(run.failures).toEqual([]);
    expect(run.definitions[0]?.versions).toEqual([
      expect.objectContaining({
        version: '20261120',
        url: `${BASE}/release-20261120/ubuntu-24.04-server-cloudimg-amd64.img`,
        checksum: { algo: 'sha256', hex: hex('2') },
        build_date: '2026-11-20',
      }),
    ]);
  });

  it('--update with upstream_tracks plans the newest build of every track, each replacing only its own track', async () => {
    const capi = 'https://objects.example.org/capi';
    const file = (minor: string, patch: number) =>
      `ubuntu-2404-kube-v${minor}/ubuntu-2404-kube-v${minor}.${patch}.qcow2`;
    const pages = {
      [`${capi}/last-1.33`]: `2026-11-15 ${file('1.33', 5)}\n`,
      [`${capi}/${file('1.33', 5)}.CHECKSUM`]: `${hex('5')}  ubuntu-2404-kube-v1.33.5.qcow2\n`,
      [`${capi}/last-1.34`]: `2026-11-16 ${file('1.34', 2)}\n`,
      [`${capi}/${file('1.34', 2)}.CHECKSUM`]: `${hex('6')}  ubuntu-2404-kube-v1.34.2.qcow2\n`,
    };
    const tracked = def({
      name: 'ubuntu-capi-image',
      multi: false,
      upstream_layout: 'marker',
      latest_url: `${capi}/last-{track}`,
      upstream_tracks: ['1.33', '1.34'],
      versions: ['v1.33.4', 'v1.34.1'],
    });
    const run = await definitionsForRun([tracked], [], runOptions(upstream(pages)));
    expect(run.failures).toEqual([]);
    expect(run.definitions[0]?.versions.map((version) => [version.version, version.url])).toEqual([
      ['v1.33.5', `${capi}/${file('1.33', 5)}`],
      ['v1.34.2', `${capi}/${file('1.34', 2)}`],
    ]);
  });

  it('without --update, no upstream is asked and the definitions are planned as written', async () => {
    const asked: string[] = [];
    const fetch: FetchLike = async (url) => {
      asked.push(url);
      throw new Error('not expected');
    };
    const run = await definitionsForRun([withUpstream], [], runOptions(fetch, false));
    expect(run.definitions).toEqual([withUpstream]);
    expect(asked).toEqual([]);
  });

  it('a failing upstream under --update leaves the definition as written and reports the failure', async () => {
    const run = await definitionsForRun([withUpstream], [], runOptions(upstream({})));
    expect(run.definitions).toEqual([withUpstream]);
    expect(run.failures).toEqual([{ definition: 'Ubuntu 24.04', message: `${BASE}/: answered HTTP 404` }]);
  });

  describe('a version: latest pointer', () => {
    const url = 'https://images.example.com/rolling/rolling.qcow2';
    const checksums_url = 'https://images.example.com/rolling/SHA256SUMS';
    const pointer = def({ name: 'Rolling', versions: [{ line: 10, version: 'latest', url, checksums_url, meta: {} }] });
    const sums = (digest: string) => ({ [checksums_url]: `${digest}  rolling.qcow2\n`, [url]: 'image bytes' });

    it('becomes the Last-Modified day with the upstream checksum when no image has that checksum', async () => {
      const run = await definitionsForRun([pointer], [], runOptions(upstream(sums(hex('c'))), false));
      const resolved = run.definitions[0]?.versions[0];
      expect(resolved).toMatchObject({
        version: '20261125',
        build_date: '2026-11-25',
        checksum: { algo: 'sha256', hex: hex('c') },
        meta: { upstream_checksum: hex('c') },
      });
      const planned = plan({ definitions: run.definitions, observed: [], projectId: PROJECT, options: options() });
      expect(planned.actions.map((action) => action.kind)).toContain('import');
    });

    it('keeps the version of the image imported with the same checksum: nothing to plan', async () => {
      const first = await definitionsForRun([pointer], [], runOptions(upstream(sums(hex('c'))), false));
      const resolvedDef = first.definitions[0] as NonNullable<(typeof first.definitions)[0]>;
      const image = glanceImage(resolvedDef, '20261125', { status: 'active' });
      const again = await definitionsForRun(
        [pointer],
        [image],
        runOptions(upstream(sums(hex('c')), 'Sun, 30 Nov 2026 10:00:00 GMT'), false),
      );
      expect(again.definitions[0]?.versions[0]?.version).toBe('20261125');
      const planned = plan({
        definitions: again.definitions,
        observed: [image],
        projectId: PROJECT,
        options: options(),
      });
      expect(planned.actions).toEqual([]);
    });

    it('a changed checksum plans a new version beside the old image', async () => {
      const first = await definitionsForRun([pointer], [], runOptions(upstream(sums(hex('c'))), false));
      const image = glanceImage(first.definitions[0] as NonNullable<(typeof first.definitions)[0]>, '20261125', {
        status: 'active',
      });
      const changed = await definitionsForRun(
        [pointer],
        [image],
        runOptions(upstream(sums(hex('d')), 'Sun, 30 Nov 2026 10:00:00 GMT'), false),
      );
      expect(changed.definitions[0]?.versions[0]).toMatchObject({
        version: '20261130',
        meta: { upstream_checksum: hex('d') },
      });
    });

    it('an upstream failure leaves the definition out of the plan, so its images stay as they are', async () => {
      const run = await definitionsForRun([pointer, withUpstream], [], runOptions(upstream({}), false));
      expect(run.definitions.map((entry) => entry.name)).toEqual(['Ubuntu 24.04']);
      expect(run.failures).toEqual([
        { definition: 'Rolling', message: expect.stringContaining(`${checksums_url}: answered HTTP 404`) },
      ]);
    });
  });
});
