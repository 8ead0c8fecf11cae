import { naturalCompare } from '../definitions/natural-sort.js';
import type { Checksum } from '../definitions/types.js';
import { firstControlCharacter } from '../util/control-characters.js';
import { checksumOf, findEntry, parseChecksumFile, bareDigest, type ChecksumEntry } from './checksums.js';
import { dateInName, httpDateToYmd } from './dates.js';
import { UpstreamError, type UpstreamHttp } from './http.js';
import { datedFolders, type DatedFolder } from './listing.js';
import { PlaceholderError, hasPlaceholder, newestMatching, placeholderPattern } from './placeholder.js';
import { splitUrl } from './split-url.js';

/** Where a definition's upstream publishes: OIM's image-level `latest_url` and `latest_checksum_url`. */
export interface UpstreamSource {
  latestUrl: string;
  latestChecksumUrl: string;
}

/**
 * How the upstream is laid out, told from the two URLs:
 * - `dated-folders`: the file sits in an alias folder (`current/`, `release/`, `latest/`) or a dated one, whose
 *   parent lists dated build folders, each with its own checksum file (Ubuntu, Debian);
 * - `sidecar`: the checksum file is named after the image file (`X.qcow2.CHECKSUM`, `X.sha256`);
 * - `checksum-file`: one checksum file lists the folder (AlmaLinux, CentOS Stream, Rocky, Fedora), possibly
 *   with OIM's `HEREBE<regex>DRAGONS` placeholder for the file name.
 */
export type Layout = 'dated-folders' | 'sidecar' | 'checksum-file';

/** The newest build upstream publishes: a pinned URL, its checksum, and its date when the URL tells it. */
export interface UpstreamBuild {
  layout: Layout;
  url: string;
  checksum: Checksum;
  /** YYYYMMDD from the dated folder or the file name; otherwise the caller asks Last-Modified. */
  date?: string;
}

const ALIAS_FOLDERS = new Set(['current', 'release', 'latest']);
const ALIAS_FILE = /[-.]latest[-.]/i;

export function layoutOf(source: UpstreamSource): Layout {
  const { dir, file } = splitUrl(source.latestUrl);
  if (hasPlaceholder(file)) return 'checksum-file';
  const sums = splitUrl(source.latestChecksumUrl);
  if (sums.dir === dir && sums.file.startsWith(`${file}.`)) return 'sidecar';
  const folder = dir.slice(dir.lastIndexOf('/') + 1);
  if (sums.dir === dir && (ALIAS_FOLDERS.has(folder) || isDatedFolderName(folder))) return 'dated-folders';
  return 'checksum-file';
}

/** Finds the newest published build of a source: one or two small GETs. */
export async function findNewestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<UpstreamBuild> {
  const layout = layoutOf(source);
  const build =
    layout === 'dated-folders'
      ? await newestInDatedFolders(source, http)
      : layout === 'sidecar'
        ? await buildFromSidecar(source, http)
        : await newestInChecksumFile(source, http);
  // What an upstream names ends up in image properties, logs and definition files.
  const odd = firstControlCharacter(build.url) ?? (/\s/.test(build.url) ? 'a space' : undefined);
  if (odd) throw new UpstreamError(source.latestChecksumUrl, `offers a file whose name holds ${odd}: not taken`);
  return build;
}

/** The build's date: from its folder or file name, else the Last-Modified of its URL (one HEAD). */
export async function buildDate(build: UpstreamBuild, http: UpstreamHttp): Promise<string> {
  if (build.date !== undefined) return build.date;
  const header = await http.lastModified(build.url);
  if (header === undefined) {
    throw new UpstreamError(build.url, 'answered without Last-Modified, so the build date is unknown');
  }
  const date = httpDateToYmd(header);
  if (date === undefined) {
    throw new UpstreamError(build.url, `answered Last-Modified "${header}", which is no HTTP date`);
  }
  return date;
}

async function newestInDatedFolders(source: UpstreamSource, http: UpstreamHttp): Promise<UpstreamBuild> {
  const { dir, file: named } = splitUrl(source.latestUrl);
  const folder = dir.slice(dir.lastIndexOf('/') + 1);
  // A URL into a dated folder (not an alias) may carry that folder's stamp in its file name.
  const file = isDatedFolderName(folder) ? named.replace(`-${folder}`, '') : named;
  const parent = `${dir.slice(0, dir.lastIndexOf('/'))}/`;
  const folders = datedFolders(await http.text(parent));
  const newest = folders.at(-1);
  if (newest === undefined) {
    throw new UpstreamError(parent, 'lists no dated build folder (YYYYMMDD/, release-YYYYMMDD/ or YYYYMMDD-N/)');
  }
  const sumsUrl = `${parent}${newest.name}/${splitUrl(source.latestChecksumUrl).file}`;
  const entries = parseChecksumFile(await http.text(sumsUrl));
  const stamped = stampedName(file, newest);
  const entry = findEntry(entries, file) ?? (stamped === undefined ? undefined : findEntry(entries, stamped));
  if (entry === undefined) {
    throw new UpstreamError(sumsUrl, `does not list ${file}${stamped === undefined ? '' : ` or ${stamped}`}`);
  }
  const url = `${parent}${newest.name}/${entry.name}`;
  return { layout: 'dated-folders', url, checksum: checksumOf(entry), date: newest.date };
}

async function buildFromSidecar(source: UpstreamSource, http: UpstreamHttp): Promise<UpstreamBuild> {
  const { file } = splitUrl(source.latestUrl);
  const text = await http.text(source.latestChecksumUrl);
  const entry = findEntry(parseChecksumFile(text), file);
  const digest = entry ? checksumOf(entry) : bareDigest(text);
  if (digest === undefined) throw new UpstreamError(source.latestChecksumUrl, `holds no checksum of ${file}`);
  return withDate({ layout: 'sidecar', url: source.latestUrl, checksum: digest }, file);
}

async function newestInChecksumFile(source: UpstreamSource, http: UpstreamHttp): Promise<UpstreamBuild> {
  const { dir, file } = splitUrl(source.latestUrl);
  const sumsUrl = source.latestChecksumUrl;
  // A placeholder that cannot be used is reported naming the URL, before anything is fetched.
  const pattern = hasPlaceholder(file) ? usablePlaceholder(source.latestUrl, file) : undefined;
  const entries = parseChecksumFile(await http.text(sumsUrl));
  const entry = pattern === undefined ? findEntry(entries, file) : newestEntry(entries, pattern);
  if (entry === undefined) {
    const problem = pattern === undefined ? `does not list ${file}` : `lists no file matching ${pattern.source}`;
    throw new UpstreamError(sumsUrl, problem);
  }
  const chosen = ALIAS_FILE.test(entry.name) ? (versionedTwin(entries, entry) ?? entry) : entry;
  return withDate({ layout: 'checksum-file', url: `${dir}/${chosen.name}`, checksum: checksumOf(chosen) }, chosen.name);
}

function newestEntry(entries: ChecksumEntry[], pattern: RegExp): ChecksumEntry | undefined {
  const name = newestMatching(
    entries.map((entry) => entry.name),
    pattern,
  );
  return name === undefined ? undefined : findEntry(entries, name);
}

function usablePlaceholder(url: string, file: string): RegExp {
  try {
    return placeholderPattern(file);
  } catch (error) {
    if (error instanceof PlaceholderError) throw new UpstreamError(url, `invalid placeholder: ${error.reason}`);
    throw error;
  }
}

/**
 * The versioned file a `-latest`/`.latest` alias stands for: another entry with the same digest, preferring
 * one that shares the alias's text before and after "latest"; the newest of those in natural order.
 */
function versionedTwin(entries: ChecksumEntry[], alias: ChecksumEntry): ChecksumEntry | undefined {
  const twins = entries.filter(
    (entry) => entry.hex === alias.hex && entry.name !== alias.name && !ALIAS_FILE.test(entry.name),
  );
  const at = alias.name.search(ALIAS_FILE);
  const before = alias.name.slice(0, at);
  const after = alias.name.slice(at + '-latest'.length);
  const close = twins.filter((entry) => entry.name.startsWith(before) && entry.name.endsWith(after));
  const pool = close.length > 0 ? close : twins;
  return pool.sort((a, b) => naturalCompare(a.name, b.name)).at(-1);
}

/**
 * Debian names the file in a build folder after it: `…-amd64.qcow2` in `20251127-2309/` is
 * `…-amd64-20251127-2309.qcow2`.
 */
function stampedName(file: string, folder: DatedFolder): string | undefined {
  if (folder.build === undefined) return undefined;
  const dot = file.lastIndexOf('.');
  const stamp = `-${folder.date}-${folder.build}`;
  return dot <= 0 ? `${file}${stamp}` : `${file.slice(0, dot)}${stamp}${file.slice(dot)}`;
}

function withDate(build: UpstreamBuild, name: string): UpstreamBuild {
  const date = dateInName(name);
  return date === undefined ? build : { ...build, date };
}

function isDatedFolderName(name: string): boolean {
  return /^(?:release-)?\d{8}(?:-\d+)?$/.test(name);
}
