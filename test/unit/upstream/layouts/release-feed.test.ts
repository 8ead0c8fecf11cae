import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageDefinition } from '../../../../src/definitions/types.js';
import { checkBeforeRun } from '../../../../src/run/preflight.js';
import { UpstreamHttp } from '../../../../src/upstream/http.js';
import { releaseFeed } from '../../../../src/upstream/layouts/release-feed.js';
import { layoutOf, upstreamOf } from '../../../../src/upstream/layouts/registry.js';
import { discoverUpdates } from '../../../../src/upstream/refresh.js';
import { FakeClock } from '../../net/fake-clock.js';
import { FakeUpstream, upstreamDefinition, writtenVersion } from '../fake-upstream.js';
import { failure } from '../helpers.js';

const FEED = 'https://api.github.com/repos/siderolabs/talos/releases';
const DL = 'https://github.com/siderolabs/talos/releases/download';
const ASSET = 'openstack-amd64.raw.xz';
const source = { latestUrl: FEED, asset: ASSET };
const hex = (c: string, n = 64) => c.repeat(n);

interface AssetSpec {
  name: string;
  browser_download_url?: string;
  size?: number;
  digest?: string | null;
}

function release(tag: string, published: string | null, assets: AssetSpec[], flags: object = {}) {
  return {
    tag_name: tag,
    name: `Talos ${tag}`,
    draft: false,
    prerelease: false,
    published_at: published,
    html_url: `https://github.com/siderolabs/talos/releases/tag/${tag}`,
    assets: assets.map((spec) => ({ browser_download_url: `${DL}/${tag}/${spec.name}`, ...spec })),
    ...flags,
  };
}

function asset(tag: string, digest: string | null = `sha256:${hex('a')}`): AssetSpec {
  return { name: ASSET, size: 104_857_600, digest, browser_download_url: `${DL}/${tag}/${ASSET}` };
}

/** A feed as GitHub lists it (newest created first): a draft, a prerelease, and an older line with a higher tag. */
function realisticFeed() {
  return [
    release('v1.14.0', null, [asset('v1.14.0', `sha256:${hex('d')}`)], { draft: true }),
    release('v1.14.0-beta.1', '2026-11-20T09:00:00Z', [asset('v1.14.0-beta.1', `sha256:${hex('e')}`)], {
      prerelease: true,
    }),
    release('v2.0.0-old-line', '2026-08-01T00:00:00Z', [asset('v2.0.0-old-line', `sha256:${hex('f')}`)]),
    release('v1.13.9', '2026-11-18T14:22:31Z', [asset('v1.13.9'), { name: 'sha256sum.txt' }]),
    release('v1.13.8', '2026-10-01T08:00:00Z', [asset('v1.13.8', `sha256:${hex('b')}`)]),
  ];
}

function http(routes: Record<string, string>, fake = new FakeUpstream(routes)) {
  return { fake, http: new UpstreamHttp(fake.fetch) };
}

async function refusal(feed: unknown, src: object = source): Promise<string> {
  const { http: client } = http({ [FEED]: JSON.stringify(feed) });
  return (await failure(releaseFeed.newestBuild({ ...source, ...src }, client))).message;
}

describe('release-feed', () => {
  it('is recognised by latest_asset alone, and read before any other layout', () => {
    expect(layoutOf(source)).toBe('release-feed');
    expect(layoutOf({ latestUrl: FEED, latestChecksumUrl: `${FEED}.sha256` })).not.toBe('release-feed');
  });

  it('pins the newest published release by published_at, not by tag, skipping drafts and prereleases', async () => {
    const { fake, http: client } = http({ [FEED]: JSON.stringify(realisticFeed()) });
    const build = await releaseFeed.newestBuild(source, client);
    expect(build).toEqual({
      url: `${DL}/v1.13.9/${ASSET}`,
      checksum: { algo: 'sha256', hex: hex('a') },
      date: '20261118',
      version: '1.13.9',
      size: 104_857_600,
    });
    // GitHub's digest costs no request: the feed is the only one.
    expect(fake.log()).toEqual([`GET ${FEED}`]);
  });

  it('follows a placeholder, and keeps a tag without a leading v as it is', async () => {
    const name = 'openstack-gardener_prod-amd64-1877.10-3d56ba62.tar.xz';
    const feed = [
      release('1592.17', '2026-02-01T00:00:00Z', [{ name: 'openstack-gardener_prod-amd64-1592.17-aaaaaaaa.tar.xz' }]),
      release('1877.10', '2026-01-29T10:00:00Z', [{ name, digest: `sha256:${hex('c')}` }]),
    ];
    const { http: client } = http({ [FEED]: JSON.stringify(feed) });
    const pattern = String.raw`openstack-gardener_prod-amd64-HEREBE1877\.\d+-[0-9a-f]{8}DRAGONS.tar.xz`;
    const build = await releaseFeed.newestBuild({ latestUrl: FEED, asset: pattern }, client);
    expect(build).toMatchObject({ url: `${DL}/1877.10/${name}`, version: '1877.10', date: '20260129' });
  });

  it("reads the checksum from the release's sha256sum.txt when the feed gives no digest", async () => {
    const feed = [release('v1.13.9', '2026-11-18T14:22:31Z', [asset('v1.13.9', null), { name: 'sha256sum.txt' }])];
    const sums = `${hex('1')}  metal-amd64.iso\n${hex('2')}  ${ASSET}\n`;
    const { fake, http: client } = http({ [FEED]: JSON.stringify(feed), [`${DL}/v1.13.9/sha256sum.txt`]: sums });
    const build = await releaseFeed.newestBuild(source, client);
    expect(build.checksum).toEqual({ algo: 'sha256', hex: hex('2') });
    expect(fake.log()).toEqual([`GET ${FEED}`, `GET ${DL}/v1.13.9/sha256sum.txt`]);
  });

  it('reads a bare digest from a checksum file named after the asset', async () => {
    const feed = [release('v1.0.0', '2026-11-18T00:00:00Z', [asset('v1.0.0', null), { name: `${ASSET}.sha512` }])];
    const { http: client } = http({
      [FEED]: JSON.stringify(feed),
      [`${DL}/v1.0.0/${ASSET}.sha512`]: `${hex('9', 128)}\n`,
    });
    expect((await releaseFeed.newestBuild(source, client)).checksum).toEqual({ algo: 'sha512', hex: hex('9', 128) });
  });

  it('gives no checksum when the release publishes none (update computes it)', async () => {
    const sums = `${hex('1')}  metal-amd64.iso\n`; // lists other files only, as Talos' does
    const feed = [release('v1.13.9', '2026-11-18T14:22:31Z', [asset('v1.13.9', null), { name: 'sha256sum.txt' }])];
    const { http: client } = http({ [FEED]: JSON.stringify(feed), [`${DL}/v1.13.9/sha256sum.txt`]: sums });
    const build = await releaseFeed.newestBuild(source, client);
    expect(build.checksum).toBeUndefined();
    expect(build.size).toBe(104_857_600);
  });
});

describe('release-feed refuses what a hostile feed offers, naming the feed', () => {
  const good = '2026-11-18T00:00:00Z';
  it.each([
    ['text that is not JSON', 'not json', /answered text that is not JSON/],
    ['an object, not a list', { releases: [] }, /no releases feed: /],
    ['a release without draft', [{ tag_name: 'v1', prerelease: false, published_at: good, assets: [] }], /at 0\.draft/],
    ['more than 1000 releases', Array.from({ length: 1001 }, () => release('v1', good, [])), /no releases feed/],
  ])('%s', async (_what, feed, pattern) => {
    const { http: client } = http({ [FEED]: typeof feed === 'string' ? feed : JSON.stringify(feed) });
    const error = await failure(releaseFeed.newestBuild(source, client));
    expect(error.message.startsWith(`${FEED}: `)).toBe(true);
    expect(error.message).toMatch(pattern);
  });

  it('an asset name that is a path, though the pattern matches it', async () => {
    const feed = [release('v1', good, [{ name: `..%2F${ASSET}` }])];
    const message = await refusal(feed, { asset: 'HEREBE.*DRAGONS' });
    expect(message).toMatch(/offers asset "\.\.%2Fopenstack-amd64\.raw\.xz" whose name holds a percent-encoded/);
  });

  it.each([
    ['plain http on another host', `http://evil.example/${ASSET}`, /which is not https/],
    ['a URL not named after the asset', `${DL}/v1/other.raw.xz`, /which is not named after it/],
    ['a query', `${DL}/v1/${ASSET}?x=1`, /credentials, a query or a fragment/],
    ['credentials', `https://user:secret@github.com/${ASSET}`, /credentials, a query or a fragment/],
    ['a javascript: URL', `javascript:alert(1)//${ASSET}`, /which is not https/],
    ['an invisible character', `${DL}/v1\u200b/${ASSET}`, /U\+200B/],
  ])('an asset at %s', async (_what, url, pattern) => {
    const message = await refusal([release('v1', good, [{ name: ASSET, browser_download_url: url }])]);
    expect(message.startsWith(`${FEED}: offers asset "${ASSET}"`)).toBe(true);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('secret');
  });

  it('a tag that is no plain version label, or holds an invisible character', async () => {
    expect(await refusal([release('v1 && rm -rf', good, [{ name: ASSET }])])).toMatch(
      /offers release tag "v1 && rm -rf", which is no plain version label: not taken$/,
    );
    expect(
      await refusal([release('v1.0\u202e', good, [{ name: ASSET, browser_download_url: `${DL}/v1/${ASSET}` }])]),
    ).toMatch(/release tag "v1\.0\\u\{202e\}"/);
  });

  it('a published_at that is no UTC timestamp, or missing on a published release', async () => {
    expect(await refusal([release('v1', '2026-11-18T00:00:00+05:00', [{ name: ASSET }])])).toMatch(
      /release "v1" with published_at "2026-11-18T00:00:00\+05:00", which is no UTC timestamp/,
    );
    expect(await refusal([release('v1', '2026-02-30T00:00:00Z', [{ name: ASSET }])])).toMatch(/no UTC timestamp/);
    expect(await refusal([release('v1', null, [{ name: ASSET }])])).toMatch(/release "v1" with no published_at/);
  });

  it('a digest that is no sha256 or sha512 digest', async () => {
    expect(await refusal([release('v1', good, [{ name: ASSET, digest: 'md5:abc' }])])).toMatch(
      /offers asset "openstack-amd64\.raw\.xz" with digest "md5:abc": no sha256\/sha512$/,
    );
  });

  it('no release with the asset: says what was looked for', async () => {
    expect(await refusal([release('v1', good, [{ name: 'metal-amd64.iso' }])])).toBe(
      `${FEED}: lists no published release (not a draft or prerelease) with ^openstack-amd64\\.raw\\.xz$`,
    );
  });
});

describe('release-feed in discovery (update and --update)', () => {
  const tag = 'v1.13.9';
  const data = Buffer.from('the compressed image bytes');
  const sha256 = createHash('sha256').update(data).digest('hex');
  const feedOf = (size?: number) => [
    release(tag, '2026-11-18T14:22:31Z', [{ name: ASSET, digest: null, ...(size !== undefined && { size }) }]),
  ];
  const url = `${DL}/${tag}/${ASSET}`;

  function definition(versions = [writtenVersion('1.13.8', { build_date: '2026-10-01' })]): ImageDefinition {
    return { ...upstreamDefinition('Talos', undefined, versions), latest_url: FEED, latest_asset: ASSET };
  }

  function fakeWith(feed: unknown): FakeUpstream {
    return new FakeUpstream({ [FEED]: JSON.stringify(feed), [url]: { body: data.toString() } });
  }

  const options = (fake: FakeUpstream, limits = { maxBytes: 1024, timeoutMs: 5_000 }) => ({
    fetch: fake.fetch,
    parallel: 1,
    timeoutMs: 5_000,
    clock: new FakeClock(Date.parse('2026-12-07T12:00:00Z')),
    computeChecksums: limits,
  });

  it('update computes the checksum once from the asset, says so, and labels the version with the tag', async () => {
    const fake = fakeWith(feedOf(data.length));
    const [result] = await discoverUpdates([definition()], options(fake));
    expect(result?.error).toBeUndefined();
    expect(result?.checksumComputed).toBe(true);
    expect(result?.decision).toMatchObject({
      kind: 'new',
      version: { version: '1.13.9', url, checksum: { algo: 'sha256', hex: sha256 }, build_date: '2026-11-18' },
    });
    expect(fake.log()).toEqual([`GET ${FEED}`, `GET ${url}`]);
  });

  it('a definition that already lists the URL is current: the asset is not read again', async () => {
    const fake = fakeWith(feedOf(data.length));
    const pinned = writtenVersion('1.13.9', { url, checksum: { algo: 'sha256', hex: sha256 } });
    const [result] = await discoverUpdates([definition([pinned])], options(fake));
    expect(result?.decision).toEqual({ kind: 'current', version: '1.13.9' });
    expect(fake.log()).toEqual([`GET ${FEED}`]);
  });

  it('refuses an asset longer or shorter than announced, and one over the bound, without a checksum', async () => {
    const [short] = await discoverUpdates([definition()], options(fakeWith(feedOf(data.length + 1))));
    expect(short?.error).toBe(
      `${url}: answered ${data.length} bytes, not the ${data.length + 1} announced: not hashed`,
    );
    const bounded = options(fakeWith(feedOf()), { maxBytes: 8, timeoutMs: 5_000 });
    const [big] = await discoverUpdates([definition()], bounded);
    expect(big?.error).toBe(`${url}: answered more than 8 bytes: not read on`);
    const [announced] = await discoverUpdates([definition()], { ...bounded, fetch: fakeWith(feedOf(4096)).fetch });
    expect(announced?.error).toBe(`${url}: announces 4096 bytes, more than the 8 hashed at most`);
  });

  it("a run's --update plans the build without a checksum and never reads the asset", async () => {
    const fake = fakeWith(feedOf(data.length));
    const { computeChecksums: _no, ...run } = options(fake);
    const [result] = await discoverUpdates([definition()], run);
    expect(result?.decision).toMatchObject({ kind: 'new', version: { version: '1.13.9', url } });
    expect(result?.decision?.kind === 'new' && result.decision.version.checksum).toBeUndefined();
    expect(fake.log()).toEqual([`GET ${FEED}`]);
  });

  it('refuses a release published after tomorrow', async () => {
    const feed = [release('v9.9.9', '2026-12-09T00:00:00Z', [{ name: ASSET, digest: `sha256:${hex('a')}` }])];
    const [result] = await discoverUpdates([definition()], options(fakeWith(feed)));
    expect(result?.error).toBe(
      `${DL}/v9.9.9/${ASSET}: offers a build dated 2026-12-09, after tomorrow (2026-12-08): not taken`,
    );
  });
});

describe('latest_asset in a definition', () => {
  it('needs latest_url, and a usable placeholder', () => {
    expect(upstreamOf({ latest_asset: ASSET })).toEqual({
      problem: 'latest_asset names a release asset; latest_url is missing',
    });
    expect(upstreamOf({ latest_url: FEED, latest_asset: 'a-HEREBE(DRAGONS.raw' })).toEqual({
      problem: expect.stringMatching(/^latest_asset invalid placeholder: "\(" is no valid regex/),
    });
    expect(upstreamOf({ latest_url: FEED, upstream_layout: 'release-feed' })).toEqual({
      problem: 'upstream_layout release-feed reads latest_url and latest_asset; latest_asset is missing',
    });
  });

  it('is refused before a run when it is a path, naming the file, the image and the field', () => {
    const def = { ...upstreamDefinition('Feed', undefined), latest_url: FEED, latest_asset: '../x.raw' };
    expect(checkBeforeRun([def], { localFileDirs: [], propertyQuota: 128 })).toEqual([
      {
        file: 'images.yml',
        line: 1,
        image: 'Feed',
        path: 'latest_asset',
        message: 'must be a plain file name; "../x.raw" holds a slash: a path, not a file name of the folder',
      },
    ]);
  });
});
