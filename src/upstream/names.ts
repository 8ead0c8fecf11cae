import { maskUserinfo } from '../net/redact.js';
import { UpstreamError } from './http.js';

/** The longest name or URL an upstream may offer, in UTF-8 bytes: anything longer is refused, not written. */
export const MAX_URL_BYTES = 2048;

// Invisible in a terminal, a log or a diff, or no character at all: controls, format characters (U+200B…),
// lone surrogates, line and paragraph separators, default-ignorables (U+2060, U+FE0F…), U+FFFE and the other
// non-characters, and U+FFFD (what a lossy decoder leaves of a byte that was no UTF-8).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\uFFFD]/u;
const INVISIBLES = new RegExp(INVISIBLE.source, 'gu');
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// A percent-encoded slash, backslash or dot: what a URL parser may turn into a path step or `..`.
const ENCODED_STEP = /%(?:2f|5c|2e)/i;

/**
 * Why a name a listing or checksum file gives is no plain file name of the folder it was listed in: a path
 * (`/`, `\`, `..`, `.`), a query or fragment (`?`, `#`), an encoded slash or dot (`%2F`, `%2E`), a scheme or
 * host (`http:`, `//`), more than MAX_URL_BYTES, an invisible or non-character; undefined when it is one.
 */
export function nameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'is no file name';
  if (Buffer.byteLength(name, 'utf8') > MAX_URL_BYTES) return `is longer than ${MAX_URL_BYTES} bytes`;
  const invisible = INVISIBLE.exec(name)?.[0];
  if (invisible !== undefined) return `holds ${codePoint(invisible)}`; // an invisible character, or none
  if (/[/\\]/.test(name)) return 'holds a slash: a path, not a file name of the folder';
  if (/[?#]/.test(name)) return 'holds a query or fragment (? or #)';
  if (ENCODED_STEP.test(name)) return 'holds a percent-encoded slash or dot';
  if (SCHEME.test(name)) return 'starts with a scheme';
  return undefined;
}

/** Why a URL an upstream made us pin cannot be written: too long, or invisible characters in it. */
export function urlProblem(url: string): string | undefined {
  if (Buffer.byteLength(url, 'utf8') > MAX_URL_BYTES) return `is longer than ${MAX_URL_BYTES} bytes`;
  const invisible = INVISIBLE.exec(url)?.[0];
  return invisible === undefined ? undefined : `holds ${codePoint(invisible)}, an invisible or no character`;
}

/**
 * The URL of `names` (a folder, then a file, each a plain name) inside `folder` (a URL ending in `/`), as
 * written; refused with an UpstreamError naming `listedAt` unless each name is plain and the URL, once parsed,
 * still lies that many steps under `folder`.
 */
export function pinUnder(folder: string, names: readonly string[], listedAt: string): string {
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem === undefined) continue;
    throw new UpstreamError(listedAt, `offers a file whose name ${problem}: not taken (${shownName(name)})`);
  }
  const url = `${folder}${names.join('/')}`;
  const problem = urlProblem(url) ?? escapes(folder, url, names.length);
  if (problem !== undefined) throw new UpstreamError(listedAt, `offers ${shownUrl(url)}, which ${problem}: not taken`);
  return url;
}

/** Why `url` does not lie exactly `depth` steps under `folder` once parsed; undefined when it does. */
function escapes(folder: string, url: string, depth: number): string | undefined {
  let base: URL;
  let parsed: URL;
  try {
    base = new URL(folder);
    parsed = new URL(url);
  } catch {
    return 'is no URL';
  }
  const outside = `lies outside ${shownUrl(folder)}`;
  if (parsed.origin !== base.origin || parsed.search !== '' || parsed.hash !== '') return outside;
  if (!parsed.pathname.startsWith(base.pathname)) return outside;
  const steps = parsed.pathname.slice(base.pathname.length).split('/');
  return steps.length === depth && steps.every((step) => step !== '') ? undefined : outside;
}

/** A name as a message shows it: quoted, invisible characters as `\u{…}`, cut after 120 characters. */
export function shownName(name: string): string {
  const cut = name.length > 120 ? `${name.slice(0, 120)}…` : name;
  return JSON.stringify(cut).replace(INVISIBLES, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/** A URL as a message shows it: credentials masked, a very long one cut (with its length). */
export function shownUrl(url: string): string {
  const masked = maskUserinfo(url);
  if (masked.length <= 200) return masked.replace(INVISIBLES, (char) => codePoint(char));
  return `${masked.slice(0, 160).replace(INVISIBLES, (char) => codePoint(char))}… (${Buffer.byteLength(url)} bytes)`;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
