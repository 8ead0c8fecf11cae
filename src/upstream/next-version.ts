import type { Checksum, ImageDefinition, VersionDefinition } from '../definitions/types.js';
import { inBuildOrder, versionBuildDay } from '../definitions/version-order.js';
import { ymdToIsoDate } from './dates.js';

/** A build as it will be written into a definition. */
export interface FoundBuild {
  url: string;
  /** Absent when upstream publishes none and none was computed (a run's --update). */
  checksum?: Checksum;
  /** YYYYMMDD */
  date: string;
  /** The label upstream gives the build (a release tag); absent: the date is the label. */
  version?: string;
}

export type UpdateDecision =
  /** The definition already lists this build. */
  | { kind: 'current'; version: string }
  /** Upstream's newest is older than the newest defined version: never taken. */
  | { kind: 'older'; newest: string; offered: string }
  /** A new newest version; `drop` is the oldest version, left out so the definition keeps its length. */
  | { kind: 'new'; version: VersionDefinition; drop?: VersionDefinition };

/** Whether a definition already lists a build: the same digest, or the same URL where either has no digest. */
export function listsBuild(
  def: ImageDefinition,
  build: Pick<FoundBuild, 'url' | 'checksum'>,
): VersionDefinition | undefined {
  const { checksum } = build;
  return def.versions.find((version) =>
    version.checksum && checksum ? sameDigest(version.checksum, checksum) : version.url === build.url,
  );
}

/**
 * What a newly found build does to a definition. It is new unless it is older than the newest build the
 * definition holds, by build date (never by how the versions are labelled). A held version dated after
 * `latestDay` (YYYYMMDD, see `latestBuildDay`) is not counted: it would hold every real build off for good
 * (`futureVersions` names it for a warning). Its version is upstream's label for it, else the build's date; if a
 * different build already holds that version (a second build on one day), the first free `LABEL.N`.
 */
export function decideUpdate(def: ImageDefinition, build: FoundBuild, latestDay: string): UpdateDecision {
  const listed = listsBuild(def, build);
  if (listed) return { kind: 'current', version: listed.version };
  const newest = newestHeld(def.versions, latestDay);
  // A build of the newest one's day is not older than it: a second build that day becomes `DATE.N`.
  if (newest && build.date < newest.date) return { kind: 'older', newest: newest.version, offered: build.date };
  const version: VersionDefinition = {
    line: def.line,
    version: freeVersion(build.version ?? build.date, new Set(def.versions.map((entry) => entry.version))),
    url: build.url,
    ...(build.checksum && { checksum: build.checksum }),
    build_date: ymdToIsoDate(build.date),
    meta: {},
  };
  const [oldest] = inBuildOrder(def.versions);
  return { kind: 'new', version, ...(oldest ? { drop: oldest } : {}) };
}

/** The versions a definition holds that are dated after `latestDay` (YYYYMMDD): no build can be. */
export function futureVersions(def: ImageDefinition, latestDay: string): VersionDefinition[] {
  return def.versions.filter((entry) => (versionBuildDay(entry) ?? '') > latestDay);
}

/** The version with the latest build date up to `latestDay` (the last of them in file order on a tie). */
function newestHeld(versions: VersionDefinition[], latestDay: string): { version: string; date: string } | undefined {
  let newest: { version: string; date: string } | undefined;
  for (const entry of versions) {
    const date = versionBuildDay(entry);
    if (date === undefined || date > latestDay) continue;
    if (newest === undefined || date >= newest.date) newest = { version: entry.version, date };
  }
  return newest;
}

/** The definition as `update` writes it: the new version in, the oldest out, in build order. */
export function withNewVersion(
  def: ImageDefinition,
  decision: Extract<UpdateDecision, { kind: 'new' }>,
): ImageDefinition {
  const kept = def.versions.filter((version) => version !== decision.drop);
  return { ...def, versions: inBuildOrder([...kept, decision.version]) };
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
