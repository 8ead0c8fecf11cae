import { bareDigest, checksumOf, findEntry, parseChecksumFile } from '../checksums.js';
import { UpstreamError, type UpstreamHttp } from '../http.js';
import { hasPlaceholder } from '../placeholder.js';
import { splitUrl } from '../split-url.js';
import {
  checksumUrlOf,
  withDateFromName,
  type NewestBuild,
  type UpstreamLayout,
  type UpstreamSource,
} from './layout.js';

/**
 * `sidecar`: beside the image file, a checksum file named after it (`X.qcow2.CHECKSUM`, `X.sha256`), holding a
 * bare digest or a checksum line of that file. The image URL is the build's URL.
 */
export const sidecar: UpstreamLayout = {
  name: 'sidecar',
  reads: ['latest_url', 'latest_checksum_url'],

  recognises(source: UpstreamSource): boolean {
    if (source.latestChecksumUrl === undefined) return false;
    const image = splitUrl(source.latestUrl);
    const sums = splitUrl(source.latestChecksumUrl);
    // A placeholder names no single file that a sidecar could be named after.
    return !hasPlaceholder(image.file) && sums.dir === image.dir && sums.file.startsWith(`${image.file}.`);
  },

  async newestBuild(source: UpstreamSource, http: UpstreamHttp): Promise<NewestBuild> {
    const { file } = splitUrl(source.latestUrl);
    const sumsUrl = checksumUrlOf(source);
    const text = await http.text(sumsUrl);
    const entry = findEntry(parseChecksumFile(text), file);
    const digest = entry ? checksumOf(entry) : bareDigest(text);
    if (digest === undefined) throw new UpstreamError(sumsUrl, `holds no checksum of ${file}`);
    return withDateFromName({ url: source.latestUrl, checksum: digest }, file);
  },
};
