import type { Checksum } from '../../definitions/types.js';
import { bareDigest, checksumOf, findEntry, parseChecksumFile } from '../checksums.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';
import { nameProblem, shownName, shownUrl, urlProblem } from '../names.js';
import { PlaceholderError, hasPlaceholder, placeholderPattern } from '../placeholder.js';
import { newestRelease, parseReleases, versionLabel, type Release, type ReleaseAsset } from '../releases.js';
import type { NewestBuild, UpstreamLayout, UpstreamSource } from './layout.js';

/**
 * `release-feed`: a GitHub-style releases feed at `latest_url` (JSON), and `latest_asset`, the file its releases
 * attach: a plain name (`openstack-amd64.raw.xz`) or one with OIM's `HEREBE<regex>DRAGONS` placeholder. The
 * newest matching release by `published_at` is pinned: the asset's URL, its checksum (GitHub's `digest`, else a
 * checksum asset of the same release; else none, and `update` computes it), the tag as version, the day of
 * `published_at` as build date.
 */
export const releaseFeed: UpstreamLayout = {
  name: 'release-feed',
  reads: ['latest_url', 'latest_asset'],

  recognises(source: UpstreamSource): boolean {
    return source.asset !== undefined;
  },

  async newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild> {
    const feedUrl = source.latestUrl;
    const pattern = assetPattern(feedUrl, source.asset);
    const chosen = newestRelease(feedUrl, parseReleases(feedUrl, await http.text(feedUrl)), pattern);
    if (chosen === undefined) {
      throw new UpstreamError(feedUrl, `lists no published release (not a draft or prerelease) with ${pattern.source}`);
    }
    const { release, asset, day } = chosen;
    const url = assetUrl(feedUrl, asset);
    const version = versionLabel(feedUrl, release.tag_name);
    const checksum = publishedDigest(feedUrl, asset) ?? (await checksumAsset(feedUrl, release, asset, http));
    return {
      url,
      date: day,
      version,
      ...(checksum && { checksum }),
      ...(asset.size !== undefined && { size: asset.size }),
    };
  },
};

/** Why `latest_asset` cannot name an asset: no plain file name, or a broken placeholder. Undefined when it can. */
export function assetProblem(asset: string): string | undefined {
  if (hasPlaceholder(asset)) {
    try {
      placeholderPattern(asset);
    } catch (error) {
      if (error instanceof PlaceholderError) return `invalid placeholder: ${error.reason}`;
      throw error;
    }
    return undefined;
  }
  const problem = nameProblem(asset);
  return problem === undefined ? undefined : `must be a plain file name; ${shownName(asset)} ${problem}`;
}

function assetPattern(feedUrl: string, asset: string | undefined): RegExp {
  if (asset === undefined) throw new UpstreamError(feedUrl, 'latest_asset is missing');
  const problem = assetProblem(asset);
  if (problem !== undefined) throw new UpstreamError(feedUrl, `latest_asset ${problem}`);
  return hasPlaceholder(asset)
    ? placeholderPattern(asset)
    : new RegExp(`^${asset.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * The URL an asset is downloaded from, as the feed gives it, once it is shown to be that asset's: a plain name,
 * https (plain http only on the feed's own origin, as a local mirror serves it), no credentials, query or
 * fragment, and the URL's last step is the asset's name.
 */
function assetUrl(feedUrl: string, asset: ReleaseAsset): string {
  const refuse = (problem: string) =>
    new UpstreamError(feedUrl, `offers asset ${shownName(asset.name)} ${problem}: not taken`);
  const nameIssue = nameProblem(asset.name);
  if (nameIssue !== undefined) throw refuse(`whose name ${nameIssue}`);
  const written = asset.browser_download_url;
  const long = urlProblem(written);
  if (long !== undefined) throw refuse(`at ${shownUrl(written)}, which ${long}`);
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw refuse(`at ${shownName(written)}, which is no URL`);
  }
  const feed = new URL(feedUrl);
  const ownHttp = url.protocol === 'http:' && feed.protocol === 'http:' && url.origin === feed.origin;
  if (url.protocol !== 'https:' && !ownHttp) throw refuse(`at ${shownUrl(written)}, which is not https`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw refuse(`at ${shownUrl(written)}, which carries credentials, a query or a fragment`);
  }
  if (lastStep(url) !== asset.name) throw refuse(`at ${shownUrl(written)}, which is not named after it`);
  return written;
}

function lastStep(url: URL): string | undefined {
  try {
    return decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  } catch {
    return undefined;
  }
}

const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** GitHub's `digest` of the asset; undefined when the feed gives none. */
function publishedDigest(feedUrl: string, asset: ReleaseAsset): Checksum | undefined {
  if (asset.digest === undefined || asset.digest === null) return undefined;
  if (!DIGEST.test(asset.digest)) {
    const shown = shownName(asset.digest);
    throw new UpstreamError(feedUrl, `offers asset ${shownName(asset.name)} with digest ${shown}: no sha256/sha512`);
  }
  const [algo, hex] = asset.digest.split(':') as [string, string];
  return { algo, hex };
}

/** Checksum files a release may attach: first those named after the asset, then lists of the release's files. */
function checksumNames(asset: string): string[] {
  const sidecars = ['sha256', 'sha256sum', 'sha512', 'sha512sum', 'CHECKSUM'].map((suffix) => `${asset}.${suffix}`);
  return [...sidecars, 'sha512sum.txt', 'sha256sum.txt', 'SHA512SUMS', 'SHA256SUMS', 'CHECKSUMS', 'checksums.txt'];
}

/** The asset's digest from a checksum file the same release attaches; undefined when none lists it. */
async function checksumAsset(
  feedUrl: string,
  release: Release,
  asset: ReleaseAsset,
  http: UpstreamHttp,
): Promise<Checksum | undefined> {
  for (const name of checksumNames(asset.name)) {
    const sums = release.assets.find((entry) => entry.name === name);
    if (sums === undefined) continue;
    const sumsUrl = assetUrl(feedUrl, sums);
    const text = await http.text(sumsUrl);
    const entry = findEntry(parseChecksumFile(text), asset.name);
    const digest = entry ?? (name.startsWith(`${asset.name}.`) ? bareDigest(text) : undefined);
    if (digest !== undefined) return checksumOf(digest);
  }
  return undefined;
}
