import { naturalCompare } from '../definitions/natural-sort.js';
import type { Checksum, ImageDefinition, VersionDefinition } from '../definitions/types.js';
import { toIsoDate } from '../definitions/schema.js';
import { dateInName, ymdToIsoDate } from './dates.js';
import { UpstreamError } from './http.js';

/** A build as it will be written into a definition. */
export interface FoundBuild {
  url: string;
  checksum: Checksum;
  /** YYYYMMDD */
  date: string;
  /** The version upstream names it by (`v1.33.5`); absent, its date is its version. */
  version?: string;
}

export type UpdateDecision =
  /** The definition already lists this build. */
  | { kind: 'current'; version: string }
  /** Upstream's newest is older than the newest defined version: never taken. */
  | { kind: 'older'; newest: string; offered: string }
  /** A new newest version; `drop` is the oldest version, left out so the definition keeps its length. */
  | { kind: 'new'; version: VersionDefinition; drop?: VersionDefinition };

/** Whether a definition already lists a build: the same digest, or the same URL where no digest is written. */
export function listsBuild(
  def: ImageDefinition,
  build: Pick<FoundBuild, 'url' | 'checksum'>,
): VersionDefinition | undefined {
  return def.versions.find((version) =>
    version.checksum ? sameDigest(version.checksum, build.checksum) : version.url === build.url,
  );
}

/**
 * What a newly found build does to a definition. It is new unless it is older than the newest build the
 * definition holds, by build date (never by how the versions are labelled). Its version is the build's date;
 * if a different build already holds that version (a second build on one day), the first free `DATE.N`.
 */
export function decideUpdate(def: ImageDefinition, build: FoundBuild): UpdateDecision {
  const listed = listsBuild(def, build);
  if (listed) return { kind: 'current', version: listed.version };
  const newest = newestHeld(def.versions);
  // A build of the newest one's day is not older than it: a second build that day becomes `DATE.N`.
  if (newest && build.date < newest.date) return { kind: 'older', newest: newest.version, offered: build.date };
  const version: VersionDefinition = {
    line: def.line,
    version: versionOf(def, build),
    url: build.url,
    checksum: build.checksum,
    build_date: ymdToIsoDate(build.date),
    meta: {},
  };
  return { kind: 'new', version, ...(def.versions[0] ? { drop: def.versions[0] } : {}) };
}

/** The version with the latest build date (the last of them in file order on a tie), and that date. */
function newestHeld(versions: VersionDefinition[]): { version: string; date: string } | undefined {
  let newest: { version: string; date: string } | undefined;
  for (const entry of versions) {
    const date = heldDate(entry);
    if (date !== undefined && (newest === undefined || date >= newest.date)) newest = { version: entry.version, date };
  }
  return newest;
}

/**
 * A written version's build date, YYYYMMDD: its `build_date`, else the date its label tells (`20260301`,
 * `20260301.1`, `v20260301`, `2026-03-01`); undefined for a label that tells none (`9.4`).
 */
function heldDate(entry: VersionDefinition): string | undefined {
  const iso = toIsoDate(entry.build_date) ?? toIsoDate(entry.version);
  return iso === undefined ? dateInName(entry.version) : iso.replaceAll('-', '');
}

/** The definition as `update` writes it: the new version in, the oldest out. */
export function withNewVersion(
  def: ImageDefinition,
  decision: Extract<UpdateDecision, { kind: 'new' }>,
): ImageDefinition {
  const kept = def.versions.filter((version) => version !== decision.drop);
  return { ...def, versions: [...kept, decision.version].sort((a, b) => naturalCompare(a.version, b.version)) };
}

/**
 * The version a new build is written as: the one upstream names it by, else its date (`DATE.N` when taken).
 * A named version the definition already holds with another digest is a rebuild under the same name: not
 * taken, as the image already imported under that name holds other bytes.
 */
function versionOf(def: ImageDefinition, build: FoundBuild): string {
  if (build.version === undefined) return freeVersion(build.date, new Set(def.versions.map((entry) => entry.version)));
  const held = def.versions.find((entry) => entry.version === build.version);
  if (held === undefined) return build.version;
  const had = held.checksum ? formatChecksum(held.checksum) : `no checksum (${held.url})`;
  const problem =
    `offers version ${build.version} as ${formatChecksum(build.checksum)}, but ${def.name} holds ${build.version} ` +
    `with ${had}: a rebuild under a version already held is not taken (remove that version from the file to take it)`;
  throw new UpstreamError(build.url, problem);
}

/** A build's date as its version, or `DATE.N` (the first free N) when another build already has that version. */
export function freeVersion(date: string, taken: ReadonlySet<string>): string {
  let name = date;
  for (let n = 1; taken.has(name); n++) name = `${date}.${n}`;
  return name;
}

export function formatChecksum(checksum: Checksum): string {
  return `${checksum.algo}:${checksum.hex}`;
}

function sameDigest(a: Checksum, b: Checksum): boolean {
  return a.algo === b.algo && a.hex === b.hex;
}
