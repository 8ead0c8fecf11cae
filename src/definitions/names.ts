import { versionedName } from './publishes.js';
import type { ImageDefinition, VersionDefinition } from './types.js';

/**
 * scs-0102 v2's name for an outdated version: `NAME YYYYMMDD`. Always a space, whatever the separator: the
 * recency test reads the word after the last space, and finds the replacement under the name before it.
 */
export function scsOutdatedName(def: ImageDefinition, day: string): string {
  return `${def.name} ${day}`;
}

const DAY = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/** YYYYMMDD of a real calendar day written `YYYY-MM-DD` or `YYYYMMDD`; undefined for anything else. */
function asDay(text: string): string | undefined {
  const parts = DAY.exec(text);
  if (!parts) return undefined;
  const [year, month, day] = parts.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? `${parts[1]}${parts[2]}${parts[3]}` : undefined;
}

/**
 * The day an outdated version is named after in the SCS form: its build date (`YYYY-MM-DD`, a time after it
 * ignored), else the version itself when it is a `YYYYMMDD` date; undefined without either.
 */
export function buildDay(buildDate: string | undefined, version: string): string | undefined {
  const fromBuild = buildDate === undefined ? undefined : asDay(buildDate.slice(0, 10));
  return fromBuild ?? (/^\d{8}$/.test(version) ? asDay(version) : undefined);
}

/** The version a name encodes for this definition, or undefined when the name is not one of its forms. */
export function versionInName(def: ImageDefinition, name: string): string | undefined {
  if (def.multi) {
    const day = name.startsWith(`${def.name} `) ? name.slice(def.name.length + 1) : '';
    if (/^\d{8}$/.test(day)) return versionOfDay(def.versions, day);
  }
  const prefix = `${def.name}${def.separator}`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  if (def.multi) return rest.startsWith('(') && rest.endsWith(')') && rest.length > 2 ? rest.slice(1, -1) : undefined;
  return rest.length > 0 ? rest : undefined;
}

/** The SCS form names a build day: the one listed version built that day, else the day itself as the version. */
function versionOfDay(versions: readonly VersionDefinition[], day: string): string {
  const built = versions.filter((version) => buildDay(version.build_date, version.version) === day);
  return built.length === 1 ? (built[0] as VersionDefinition).version : day;
}

/**
 * The name a usable image gets that claims a version beside the one kept (rule 11): the version's name,
 * `duplicate` and an id (its first 8 characters, or all of it when another duplicate shares them).
 */
export function duplicateName(def: ImageDefinition, version: string, id: string, otherIds: string[]): string {
  const short = id.slice(0, 8);
  const unique = otherIds.every((other) => other === id || other.slice(0, 8) !== short);
  return `${versionedName(def, version)} duplicate ${unique ? short : id}`;
}

/** Whether `name` is one `duplicateName` gives to an image of `version`. */
export function isDuplicateName(def: ImageDefinition, version: string, name: string): boolean {
  const prefix = `${versionedName(def, version)} duplicate `;
  return name.startsWith(prefix) && name.length > prefix.length && !name.slice(prefix.length).includes(' ');
}

/**
 * Every name the definition's images may carry: the plain name (multi) and each listed version's, in both
 * styles of outdated names. What to ask Glance for to find unmanaged images that share one (rule 12).
 */
export function publishedNames(def: ImageDefinition): string[] {
  const versioned = def.versions.map((version) => versionedName(def, version.version));
  if (!def.multi) return versioned;
  const days = def.versions.flatMap((version) => buildDay(version.build_date, version.version) ?? []);
  return [def.name, ...versioned, ...new Set(days.map((day) => scsOutdatedName(def, day)))];
}
