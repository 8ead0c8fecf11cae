import { describe, expect, it } from 'vitest';
import { UpstreamHttp } from '../../../../src/upstream/http.js';
import { marker } from '../../../../src/upstream/layouts/marker.js';
import { FakeUpstream } from '../fake-upstream.js';
import { failure } from '../helpers.js';

const CAPI = 'https://objects.example.org/osism/openstack-k8s-capi-images';
const AMPHORA = 'https://objects.example.org/osism/openstack-octavia-amphora-image';
const hex = (char: string) => char.repeat(64);
const capiFile = 'ubuntu-2404-kube-v1.33/ubuntu-2404-kube-v1.33.5.qcow2';

/** A marker upstream as OSISM's CI writes it: `last-1.33`, the image one folder down, its sha256sum beside it. */
function capi(body: string, sums: Record<string, string> = {}) {
  return new FakeUpstream({
    [`${CAPI}/last-1.33`]: body,
    [`${CAPI}/${capiFile}.CHECKSUM`]: `${hex('5')}  ubuntu-2404-kube-v1.33.5.qcow2\n`,
    ...sums,
  });
}

const newest = (upstream: FakeUpstream, track?: string) =>
  marker.newestBuild(
    { latestUrl: `${CAPI}/last-1.33`, ...(track !== undefined && { track }) },
    new UpstreamHttp(upstream.fetch),
  );

describe('marker', () => {
  it('pins the file a CAPI marker names, with the digest of its .CHECKSUM, its version and its day', async () => {
    const upstream = capi(`2026-11-15 ${capiFile}\n`);
    expect(await newest(upstream, '1.33')).toEqual({
      url: `${CAPI}/${capiFile}`,
      checksum: { algo: 'sha256', hex: hex('5') },
      date: '20261115',
      version: 'v1.33.5',
    });
    expect(upstream.log()).toEqual([`GET ${CAPI}/last-1.33`, `GET ${CAPI}/${capiFile}.CHECKSUM`]);
  });

  it('labels an amphora build (no vX.Y.Z in its name) by its day: no version of its own', async () => {
    const file = 'octavia-amphora-haproxy-2025.2.20261201.qcow2';
    const upstream = new FakeUpstream({
      [`${AMPHORA}/last-2025.2`]: `2026-12-01 ${file}\n`,
      [`${AMPHORA}/${file}.CHECKSUM`]: `${hex('a')}  ${file}\n`,
    });
    const build = await marker.newestBuild({ latestUrl: `${AMPHORA}/last-2025.2` }, new UpstreamHttp(upstream.fetch));
    expect(build).toEqual({ url: `${AMPHORA}/${file}`, checksum: { algo: 'sha256', hex: hex('a') }, date: '20261201' });
  });

  it('takes the Kubernetes version out of a gardener file name, and a bare digest as the checksum', async () => {
    const file = 'ubuntu-2404-kube-v1.33-gardener/ubuntu-2404-kube-v1.33.13-gardener.qcow2';
    const upstream = new FakeUpstream({
      [`${CAPI}/last-1.33`]: `2026-06-20 ${file}`,
      [`${CAPI}/${file}.CHECKSUM`]: `${hex('6')}\n`,
    });
    expect(await newest(upstream, '1.33')).toMatchObject({ version: 'v1.33.13', checksum: { hex: hex('6') } });
  });

  it('is never recognised by its shape: a definition names it', () => {
    expect(marker.recognises({ latestUrl: `${CAPI}/last-1.33` })).toBe(false);
  });

  describe('refuses what a marker must not name, naming the marker, and asks nothing more', () => {
    it.each([
      ['a parent folder', `2026-11-15 ../x.qcow2`, 'is no file name'],
      ['two folders down', `2026-11-15 a/b/x.qcow2`, 'more than one folder down'],
      ['an absolute URL', `2026-11-15 https://evil.example/x.qcow2`, 'more than one folder down'],
      ['a leading slash', `2026-11-15 /x.qcow2`, 'is no file name'],
      ['an encoded slash', `2026-11-15 x%2F..%2Fy.qcow2`, 'percent-encoded slash or dot'],
      ['a query', `2026-11-15 x.qcow2?y`, 'query or fragment'],
      ['a fragment', `2026-11-15 x.qcow2#y`, 'query or fragment'],
      ['an invisible character', `2026-11-15 x\u200b.qcow2`, 'U+200B'],
      ['no calendar date', `2026-02-30 ${capiFile}`, 'no calendar date'],
      ['a date in another form', `15.11.2026 ${capiFile}`, 'not one line'],
      ['a second line', `2026-11-15 ${capiFile}\n2026-11-16 ${capiFile}\n`, 'not one line'],
      ['a third word', `2026-11-15 ${capiFile} extra`, 'not one line'],
      ['nothing', '', 'not one line'],
      ['a name over 2 kB', `2026-11-15 ${'x'.repeat(2100)}.qcow2`, 'longer than 2048 bytes'],
    ])('%s', async (_, body, problem) => {
      const upstream = capi(body);
      const error = await failure(newest(upstream));
      expect(error.message).toContain(`${CAPI}/last-1.33: `);
      expect(error.message).toContain(problem);
      expect(upstream.log()).toEqual([`GET ${CAPI}/last-1.33`]);
    });

    it('a marker over 4 kB', async () => {
      const error = await failure(newest(capi(`2026-11-15 ${capiFile}\n${' '.repeat(5000)}`)));
      expect(error.message).toBe(`${CAPI}/last-1.33: is longer than 4096 bytes: no marker (YYYY-MM-DD FILE)`);
    });
  });

  describe('refuses a checksum file that does not vouch for the file, naming it', () => {
    const sums = `${CAPI}/${capiFile}.CHECKSUM`;
    it.each([
      ['another file', `${hex('5')}  ubuntu-2404-kube-v1.33.4.qcow2\n`, 'holds no checksum of'],
      [
        'two digests of the file',
        `${hex('5')}  ubuntu-2404-kube-v1.33.5.qcow2\n${hex('6')}  ubuntu-2404-kube-v1.33.5.qcow2\n`,
        'with different digests',
      ],
      ['no digest', 'not a checksum\n', 'holds no checksum of'],
    ])('%s', async (_, body, problem) => {
      const error = await failure(newest(capi(`2026-11-15 ${capiFile}\n`, { [sums]: body })));
      expect(error.message).toContain(`${sums}: `);
      expect(error.message).toContain(problem);
    });

    it('none at all', async () => {
      const upstream = new FakeUpstream({ [`${CAPI}/last-1.33`]: `2026-11-15 ${capiFile}\n` });
      expect((await failure(newest(upstream))).message).toBe(`${sums}: answered HTTP 404`);
    });
  });

  it('a marker that is not there fails with its URL', async () => {
    expect((await failure(newest(new FakeUpstream()))).message).toBe(`${CAPI}/last-1.33: answered HTTP 404`);
  });

  it("refuses a track's marker that names another minor, or no version", async () => {
    const other = 'ubuntu-2404-kube-v1.34/ubuntu-2404-kube-v1.34.1.qcow2';
    const upstream = capi(`2026-11-15 ${other}\n`, { [`${CAPI}/${other}.CHECKSUM`]: `${hex('4')}\n` });
    expect((await failure(newest(upstream, '1.33'))).message).toBe(
      `${CAPI}/last-1.33: names v1.34.1, which is not of track 1.33: not taken`,
    );
    const plain = 'ubuntu-2404-kube.qcow2';
    const unversioned = capi(`2026-11-15 ${plain}\n`, { [`${CAPI}/${plain}.CHECKSUM`]: `${hex('4')}\n` });
    expect((await failure(newest(unversioned, '1.33'))).message).toBe(
      `${CAPI}/last-1.33: names "${plain}", which tells no version (vX.Y.Z) of track 1.33`,
    );
    // 1.3 is not 1.33's track, nor 1.33 a prefix of 1.330.
    expect((await failure(newest(capi(`2026-11-15 ${capiFile}\n`), '1.3'))).message).toContain('not of track 1.3:');
  });
});
