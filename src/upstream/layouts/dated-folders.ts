import { checksumOf, findEntry, parseChecksumFile } from '../checksums.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';
import type { DatedFolder } from '../listing.js';
import { hasPlaceholder } from '../placeholder.js';
import { pinUnder } from '../names.js';
import { splitUrl } from '../split-url.js';
import { checksumUrlOf, type NewestBuild, type UpstreamLayout, type UpstreamSource } from './layout.js';

const ALIAS_FOLDERS = new Set(['current', 'release', 'latest']);

/**
 * `dated-folders`: the image and its checksum file sit in an alias folder (`current/`, `release/`, `latest/`)
 * or a dated one, whose parent lists dated build folders, each with its own checksum file (Ubuntu, Debian).
 * The build is pinned into the newest dated folder, never the alias.
 */
export const datedFolders: UpstreamLayout = {
  name: 'dated-folders',
  reads: ['latest_url', 'latest_checksum_url'],

  recognises(source: UpstreamSource): boolean {
    if (source.latestChecksumUrl === undefined) return false;
    const image = splitUrl(source.latestUrl);
    if (hasPlaceholder(image.file) || splitUrl(source.latestChecksumUrl).dir !== image.dir) return false;
    const folder = folderOf(image.dir);
    return ALIAS_FOLDERS.has(folder) || isDatedFolderName(folder);
  },

  async newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild> {
    const { dir, file: named } = splitUrl(source.latestUrl);
    const folder = folderOf(dir);
    // A URL into a dated folder (not an alias) may carry that folder's stamp in its file name.
    const file = isDatedFolderName(folder) ? named.replace(`-${folder}`, '') : named;
    const parent = `${dir.slice(0, dir.lastIndexOf('/'))}/`;
    // The HTML parser loads only when a listing is read: a run's preflight and --check-only consult this registry.
    const { datedFolders: listedDatedFolders } = await import('../listing.js');
    const newest = listedDatedFolders(await http.text(parent)).at(-1);
    if (newest === undefined) {
      throw new UpstreamError(parent, 'lists no dated build folder (YYYYMMDD/, release-YYYYMMDD/ or YYYYMMDD-N/)');
    }
    const sumsUrl = `${parent}${newest.name}/${splitUrl(checksumUrlOf(source)).file}`;
    const entries = parseChecksumFile(await http.text(sumsUrl));
    const stamped = stampedName(file, newest);
    const entry = findEntry(entries, file) ?? (stamped === undefined ? undefined : findEntry(entries, stamped));
    if (entry === undefined) {
      throw new UpstreamError(sumsUrl, `does not list ${file}${stamped === undefined ? '' : ` or ${stamped}`}`);
    }
    const url = pinUnder(parent, [newest.name, entry.name], sumsUrl);
    return { url, checksum: checksumOf(entry), date: newest.date };
  },
};

function folderOf(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}

function isDatedFolderName(name: string): boolean {
  return /^(?:release-)?\d{8}(?:-\d+)?$/.test(name);
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
