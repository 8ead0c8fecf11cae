import { naturalCompare } from '../../definitions/natural-sort.js';
import { checksumOf, findEntry, parseChecksumFile, type ChecksumEntry } from '../checksums.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';
import { PlaceholderError, hasPlaceholder, newestMatching, placeholderPattern } from '../placeholder.js';
import { nameProblem, pinUnder } from '../names.js';
import { splitUrl } from '../split-url.js';
import {
  checksumUrlOf,
  withDateFromName,
  type NewestBuild,
  type UpstreamLayout,
  type UpstreamSource,
} from './layout.js';

const ALIAS_FILE = /[-.]latest[-.]/i;

/**
 * `checksum-file`: one checksum file lists the image's folder (AlmaLinux, CentOS Stream, Rocky, Fedora). The
 * image is named as it is, as a `-latest`/`.latest` alias (pinned to the versioned file with the same digest,
 * as AlmaLinux publishes), or by OIM's `HEREBE<regex>DRAGONS` placeholder (the newest matching file).
 */
export const checksumFile: UpstreamLayout = {
  name: 'checksum-file',
  reads: ['latest_url', 'latest_checksum_url'],

  recognises(source: UpstreamSource): boolean {
    if (source.latestChecksumUrl === undefined) return false;
    const { file } = splitUrl(source.latestUrl);
    // A checksum file named after the image is its sidecar, wherever it sits; a placeholder has no sidecar.
    return hasPlaceholder(file) || !splitUrl(source.latestChecksumUrl).file.startsWith(`${file}.`);
  },

  async newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild> {
    const { dir, file } = splitUrl(source.latestUrl);
    const sumsUrl = checksumUrlOf(source);
    // A placeholder that cannot be used is reported naming the URL, before anything is fetched.
    const pattern = hasPlaceholder(file) ? usablePlaceholder(source.latestUrl, file) : undefined;
    const listed = parseChecksumFile(await http.text(sumsUrl));
    // Only plain file names of the folder are chosen among: `../x`, `x?y`, `%2e%2e` and the like never are.
    const plain = listed.filter((candidate) => nameProblem(candidate.name) === undefined);
    const entry = pattern === undefined ? findEntry(listed, file) : newestEntry(plain, pattern);
    if (entry === undefined) {
      const problem = pattern === undefined ? `does not list ${file}` : `lists no file matching ${pattern.source}`;
      throw new UpstreamError(sumsUrl, problem);
    }
    const chosen = ALIAS_FILE.test(entry.name) ? (versionedTwin(plain, entry) ?? entry) : entry;
    const url = pinUnder(`${dir}/`, [chosen.name], sumsUrl);
    return withDateFromName({ url, checksum: checksumOf(chosen) }, chosen.name);
  },
};

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
