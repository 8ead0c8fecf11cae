import { ALGO_BY_LENGTH } from '../definitions/schema.js';
import type { Checksum } from '../definitions/types.js';

/** One line of a checksum file. */
export interface ChecksumEntry {
  name: string;
  /** Lowercase: md5, sha1, sha256, sha512… */
  algo: string;
  /** Lowercase hex. */
  hex: string;
}

const LENGTH_BY_ALGO = new Map(Object.entries(ALGO_BY_LENGTH).map(([length, algo]) => [algo, Number(length)]));

// GNU coreutils: `HASH  NAME` (text mode), `HASH *NAME` (binary mode); some tools write a single space.
// A leading backslash marks a name with `\\` and `\n` escapes in it.
const GNU_LINE = /^(\\?)([0-9a-fA-F]+)(?: \*| {1,2})(.+)$/;
// BSD / `--tag`: `SHA256 (NAME) = HASH`; the greedy name allows parentheses in it.
const BSD_LINE = /^([A-Za-z][A-Za-z0-9-]*) ?\((.+)\) ?= ?([0-9a-fA-F]+)$/;

const SIGNED_MESSAGE = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE_BEGIN = '-----BEGIN PGP SIGNATURE-----';
const SIGNATURE_END = '-----END PGP SIGNATURE-----';

/**
 * Every entry of a checksum file in GNU or BSD form, in file order. Blank lines, `#` comments, a PGP
 * clearsign wrapper, lines of any other shape and digests whose length does not fit their algo are skipped.
 */
export function parseChecksumFile(text: string): ChecksumEntry[] {
  const entries: ChecksumEntry[] = [];
  for (const line of contentLines(text)) {
    const entry = parseLine(line);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** The lines that carry content: the body of a clearsigned message (dash-escaping undone), not its armor. */
function contentLines(text: string): string[] {
  const lines: string[] = [];
  let state: 'plain' | 'header' | 'body' | 'signature' = 'plain';
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)) {
    const line = raw.trimEnd();
    if (state === 'signature') {
      if (line === SIGNATURE_END) state = 'plain';
    } else if (line === SIGNED_MESSAGE) {
      state = 'header';
    } else if (line === SIGNATURE_BEGIN) {
      state = 'signature';
    } else if (state === 'header') {
      // Armor headers (`Hash: SHA256`) run up to the first blank line.
      if (line.trim() === '') state = 'body';
    } else {
      lines.push(state === 'body' && line.startsWith('- ') ? line.slice(2) : line);
    }
  }
  return lines;
}

function parseLine(line: string): ChecksumEntry | undefined {
  if (line.trim() === '' || line.startsWith('#')) return undefined;
  const bsd = BSD_LINE.exec(line);
  if (bsd !== null) {
    const algo = (bsd[1] as string).toLowerCase();
    return entryOf(bsd[2] as string, algo, bsd[3] as string);
  }
  const gnu = GNU_LINE.exec(line);
  if (gnu !== null) {
    const hex = gnu[2] as string;
    const algo = ALGO_BY_LENGTH[hex.length];
    if (algo === undefined) return undefined;
    const name = gnu[1] === '\\' ? unescapeGnuName(gnu[3] as string) : (gnu[3] as string);
    return entryOf(name, algo, hex);
  }
  return undefined;
}

function entryOf(name: string, algo: string, hex: string): ChecksumEntry | undefined {
  // An algo this table does not know (sha384, blake2b…) keeps its digest unchecked.
  const expected = LENGTH_BY_ALGO.get(algo);
  if (expected !== undefined && expected !== hex.length) return undefined;
  return { name, algo, hex: hex.toLowerCase() };
}

function unescapeGnuName(name: string): string {
  const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', '\\': '\\' };
  return name.replace(/\\(.)/g, (sequence, char: string) => escapes[char] ?? sequence);
}

/** The digest of a sidecar file holding nothing but one hex digest (32, 40, 64 or 128 digits). */
export function bareDigest(text: string): { algo: string; hex: string } | undefined {
  const digest = text.replace(/^\uFEFF/, '').trim();
  if (!/^[0-9a-fA-F]+$/.test(digest)) return undefined;
  const algo = ALGO_BY_LENGTH[digest.length];
  return algo === undefined ? undefined : { algo, hex: digest.toLowerCase() };
}

/** An entry's digest as a definition writes it. */
export function checksumOf(entry: { algo: string; hex: string }): Checksum {
  return { algo: entry.algo, hex: entry.hex };
}

const ALGO_RANK: Readonly<Record<string, number>> = { sha512: 2, sha256: 1 };

/**
 * The entry for exactly that file name. A file that lists the name under several algos gives the strongest
 * (sha512, then sha256, then any other); one that lists it twice under one algo, the last.
 */
export function findEntry(entries: ChecksumEntry[], name: string): ChecksumEntry | undefined {
  let found: ChecksumEntry | undefined;
  for (const entry of entries) {
    if (entry.name !== name) continue;
    if (found === undefined || rank(entry.algo) >= rank(found.algo)) found = entry;
  }
  return found;
}

function rank(algo: string): number {
  return ALGO_RANK[algo] ?? 0;
}
