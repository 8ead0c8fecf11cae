import type { Checksum, ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { OwnedImage } from '../definitions/identify.js';
import { toIsoDate } from '../definitions/schema.js';
import { latestPointer } from '../definitions/latest-version.js';
import { bareDigest, checksumOf, findEntry, parseChecksumFile } from './checksums.js';
import { type Clock, systemClock } from '../util/clock.js';
import { httpDateToYmd, latestBuildDay, ymdToIsoDate } from './dates.js';
import { splitUrl } from './split-url.js';
import { UpstreamError, type UpstreamHttp } from './http.js';
import { freeVersion } from './next-version.js';

/** OIM's property for the digest a `latest` image was imported with (bare hex, as OIM writes it). */
export const UPSTREAM_CHECKSUM = 'upstream_checksum';

/**
 * OIM's `version: latest` made concrete for one run: the upstream digest is read; an image already imported
 * with that digest keeps its version, otherwise the new version (and build date) is the URL's Last-Modified day.
 * The result is an ordinary version, planned, rotated and retired like any written one.
 */
export async function resolveLatestPointer(
  def: ImageDefinition,
  owned: OwnedImage[],
  http: UpstreamHttp,
  clock: Clock = systemClock,
): Promise<ImageDefinition> {
  const pointer = latestPointer(def);
  if (pointer === undefined) return def;
  const digest = await upstreamDigest(pointer, http);
  const known = owned.find((entry) => entry.image[UPSTREAM_CHECKSUM] === digest.hex);
  const resolved = known ? fromImage(known) : await fromLastModified(pointer, def, owned, http, clock);
  const version: VersionDefinition = {
    ...pointer,
    version: resolved.version,
    checksum: digest,
    ...(resolved.buildDate ? { build_date: resolved.buildDate } : {}),
    meta: { ...pointer.meta, [UPSTREAM_CHECKSUM]: digest.hex },
  };
  return { ...def, versions: def.versions.map((entry) => (entry === pointer ? version : entry)) };
}

async function upstreamDigest(pointer: VersionDefinition, http: UpstreamHttp): Promise<Checksum> {
  if (pointer.checksums_url) {
    const file = splitUrl(pointer.url).file;
    const entry = findEntry(parseChecksumFile(await http.text(pointer.checksums_url)), file);
    if (entry === undefined) throw new UpstreamError(pointer.checksums_url, `does not list ${file}`);
    return checksumOf(entry);
  }
  const url = pointer.checksum_url as string;
  const text = await http.text(url);
  const entries = parseChecksumFile(text);
  const digest = bareDigest(text) ?? (entries.length === 1 ? entries[0] : undefined);
  if (digest === undefined) throw new UpstreamError(url, 'holds no single checksum');
  return checksumOf(digest);
}

function fromImage(known: OwnedImage): { version: string; buildDate?: string } {
  const written = known.image.image_build_date;
  const buildDate = typeof written === 'string' ? toIsoDate(written) : undefined;
  return { version: known.version, ...(buildDate ? { buildDate } : {}) };
}

async function fromLastModified(
  pointer: VersionDefinition,
  def: ImageDefinition,
  owned: OwnedImage[],
  http: UpstreamHttp,
  clock: Clock,
): Promise<{ version: string; buildDate: string }> {
  const header = await http.lastModified(pointer.url);
  const day = header === undefined ? undefined : httpDateToYmd(header);
  if (day === undefined) {
    const answered = header === undefined ? 'without Last-Modified' : `Last-Modified "${header}"`;
    throw new UpstreamError(pointer.url, `answered ${answered}, so the new build's date is unknown`);
  }
  const latest = latestBuildDay(clock.now());
  if (day > latest) {
    const problem = `answered Last-Modified "${header}", after tomorrow (${ymdToIsoDate(latest)}): not taken`;
    throw new UpstreamError(pointer.url, problem);
  }
  const taken = new Set([...owned.map((entry) => entry.version), ...def.versions.map((entry) => entry.version)]);
  return { version: freeVersion(day, taken), buildDate: ymdToIsoDate(day) };
}
