import { z } from 'zod';
import { toIsoDate } from '../definitions/schema.js';
import { UpstreamError } from './http.js';
import { newestMatching } from './placeholder.js';
import { shownName } from './names.js';

/** More releases or assets than any real feed lists on one page (GitHub's page holds at most 100). */
export const MAX_RELEASES = 1000;
export const MAX_ASSETS = 1000;

const asset = z.object({
  name: z.string(),
  browser_download_url: z.string(),
  size: z.int().nonnegative().optional(),
  // GitHub's own sha256 of what it stores, `sha256:<hex>`; null for assets uploaded before June 2025.
  digest: z.string().nullable().optional(),
});

const release = z.object({
  tag_name: z.string(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  published_at: z.string().nullable(),
  assets: z.array(asset).max(MAX_ASSETS),
});

const feed = z.array(release).max(MAX_RELEASES);

export type ReleaseAsset = z.output<typeof asset>;
export type Release = z.output<typeof release>;

/** A release and the asset of it a definition follows. */
export interface ChosenRelease {
  release: Release;
  asset: ReleaseAsset;
  /** published_at as YYYYMMDD (UTC). */
  day: string;
}

// GitHub's form: `2026-01-29T10:41:07Z`; a fraction is accepted, no other zone (the day must be UTC's).
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

/**
 * A GitHub-style releases feed (`GET /repos/OWNER/REPO/releases`): a JSON array of releases, each with its
 * tag, draft and prerelease flags, `published_at` and assets. Keys it does not read are ignored.
 */
export function parseReleases(url: string, text: string): Release[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UpstreamError(url, 'answered text that is not JSON: no releases feed');
  }
  const parsed = feed.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new UpstreamError(url, `answered JSON that is no releases feed${where}: ${issue?.message ?? 'invalid'}`);
}

/**
 * The newest release that is neither a draft nor a prerelease and attaches an asset matching `pattern`, by
 * `published_at` (never by tag text: a maintenance release of an older line may come out later); on a tie
 * the first listed. Of several matching assets of one release, the newest name in natural order.
 */
export function newestRelease(url: string, releases: Release[], pattern: RegExp): ChosenRelease | undefined {
  let newest: (ChosenRelease & { at: number }) | undefined;
  for (const candidate of releases) {
    if (candidate.draft || candidate.prerelease) continue;
    const name = newestMatching(
      candidate.assets.map((entry) => entry.name),
      pattern,
    );
    if (name === undefined) continue;
    const { at, day } = publishedAt(url, candidate);
    if (newest !== undefined && at <= newest.at) continue;
    const chosen = candidate.assets.find((entry) => entry.name === name) as ReleaseAsset;
    newest = { release: candidate, asset: chosen, day, at };
  }
  if (newest === undefined) return undefined;
  const { at: _at, ...chosen } = newest;
  return chosen;
}

function publishedAt(url: string, candidate: Release): { at: number; day: string } {
  const value = candidate.published_at;
  const match = value === null ? null : TIMESTAMP.exec(value);
  const iso = match?.[1] === undefined ? undefined : toIsoDate(match[1]);
  if (value === null || iso === undefined) {
    const shown = value === null ? 'no published_at' : `published_at ${shownName(value)}, which is no UTC timestamp`;
    throw new UpstreamError(url, `offers release ${shownName(candidate.tag_name)} with ${shown}: not taken`);
  }
  return { at: Date.parse(value), day: iso.replaceAll('-', '') };
}

// A version label as definitions, image names and `internal_version` carry it: `1.13.9`, `1877.10`, `2.0-rc1`.
const LABEL = /^[0-9A-Za-z][0-9A-Za-z._+~-]{0,63}$/;

/** The version label of a release: its tag, a leading `v` before a digit dropped (`v1.13.9` is 1.13.9). */
export function versionLabel(url: string, tag: string): string {
  const label = /^v\d/.test(tag) ? tag.slice(1) : tag;
  if (LABEL.test(label)) return label;
  throw new UpstreamError(url, `offers release tag ${shownName(tag)}, which is no plain version label: not taken`);
}
