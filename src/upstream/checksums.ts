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
  for (const raw of splitLines(text)) {
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

const LF = 10;
const CR = 13;

/** The lines of a text (ended by LF, CRLF or CR), a leading BOM left out: one pass, each character read once. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = text.length > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let at = start; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char !== LF && char !== CR) continue;
    lines.push(text.slice(start, at));
    if (char === CR && at + 1 < text.length && text.charCodeAt(at + 1) === LF) at++;
    start = at + 1;
  }
  lines.push(text.slice(start));
  return lines;
}

// Each line is read by hand, from its ends, never by a pattern that could try one text twice: linear in the
// line whatever it holds.
function parseLine(line: string): ChecksumEntry | undefined {
  if (line.trim() === '' || line.startsWith('#')) return undefined;
  return bsdLine(line) ?? gnuLine(line);
}

/** BSD / `--tag`: `SHA256 (NAME) = HASH`; the name runs to the last `)` before ` = HASH`, parentheses allowed. */
function bsdLine(line: string): ChecksumEntry | undefined {
  let at = 1;
  if (!isLetter(line.charCodeAt(0))) return undefined;
  while (at < line.length && (isLetter(line.charCodeAt(at)) || isDigit(line.charCodeAt(at)) || line[at] === '-')) at++;
  const algoEnd = at;
  if (line[at] === ' ') at++;
  if (line[at] !== '(') return undefined;
  const nameStart = at + 1;
  const hexStart = hexRunBefore(line, line.length);
  if (hexStart === line.length) return undefined;
  let end = hexStart;
  if (line[end - 1] === ' ') end--;
  if (line[end - 1] !== '=') return undefined;
  end--;
  if (line[end - 1] === ' ') end--;
  if (line[end - 1] !== ')' || end - 1 <= nameStart) return undefined;
  const algo = line.slice(0, algoEnd).toLowerCase();
  return entryOf(line.slice(nameStart, end - 1), algo, line.slice(hexStart));
}

/**
 * GNU coreutils: `HASH  NAME` (text mode), `HASH *NAME` (binary mode); some tools write a single space.
 * A leading backslash marks a name with `\\` and `\n` escapes in it.
 */
function gnuLine(line: string): ChecksumEntry | undefined {
  const escaped = line.startsWith('\\');
  const hexStart = escaped ? 1 : 0;
  let at = hexStart;
  while (at < line.length && isHex(line.charCodeAt(at))) at++;
  if (at === hexStart || line[at] !== ' ') return undefined;
  const hex = line.slice(hexStart, at);
  // ` *` marks binary mode unless nothing follows it; a second space is part of the separator.
  const separator = line[at + 1] === '*' && at + 2 < line.length ? 2 : line[at + 1] === ' ' ? 2 : 1;
  const raw = line.slice(at + separator);
  const algo = ALGO_BY_LENGTH[hex.length];
  if (raw === '' || algo === undefined) return undefined;
  return entryOf(escaped ? unescapeGnuName(raw) : raw, algo, hex);
}

/** Where the run of hex digits that ends at `end` starts (`end` when there is none). */
function hexRunBefore(line: string, end: number): number {
  let start = end;
  while (start > 0 && isHex(line.charCodeAt(start - 1))) start--;
  return start;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
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
