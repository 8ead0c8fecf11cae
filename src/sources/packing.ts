/** A codec an upstream compresses an image with: xz, bzip2, gzip or zstd. */
export type Codec = 'xz' | 'bz2' | 'gz' | 'zst';

/**
 * How an image is packed at its URL: compressed (`codec`), in a tar archive (`tar`), or both; `suffix` is the
 * ending that says so (`.tar.xz`), for messages. Glance cannot unpack any of these: the tool streams them.
 */
export interface Packing {
  codec?: Codec;
  tar: boolean;
  suffix: string;
}

const CODECS: Readonly<Record<string, Codec>> = { xz: 'xz', bz2: 'bz2', gz: 'gz', zst: 'zst' };
const TAR_SHORTHANDS: Readonly<Record<string, Codec>> = { tgz: 'gz', tbz2: 'bz2', txz: 'xz' };

/** How the image at `url` is packed, from the ending of its path; undefined for a plain image. */
export function packingOf(url: string): Packing | undefined {
  const parts = fileName(url).toLowerCase().split('.').slice(1);
  const last = parts.at(-1);
  if (last === undefined) return undefined;
  const shorthand = TAR_SHORTHANDS[last];
  if (shorthand) return { codec: shorthand, tar: true, suffix: `.${last}` };
  if (last === 'tar') return { tar: true, suffix: '.tar' };
  const codec = CODECS[last];
  if (!codec) return undefined;
  const tar = parts.at(-2) === 'tar';
  return { codec, tar, suffix: tar ? `.tar.${last}` : `.${last}` };
}

function fileName(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? url;
  }
  return path.slice(path.lastIndexOf('/') + 1);
}
