import { Parser } from 'htmlparser2';
import { dateInName } from '../definitions/version-order.js';

/** A dated build folder of an index page. */
export interface DatedFolder {
  /** As linked, without the trailing slash: `20260705`, `release-20260926`, `20251127-2309`. */
  name: string;
  /** YYYYMMDD */
  date: string;
  /** The number after the dash of `YYYYMMDD-N`. */
  build?: number;
}

/** What discovery reads of an index page: its links, and the path its "Index of /path" heading names. */
interface ListingPage {
  links: string[];
  /** The listed folder, from the first `<title>` or `<h1>` reading "Index of /…" or "Directory listing for /…". */
  path?: string;
}

const HEADINGS = new Set(['title', 'h1']);
const HEADING_TEXT = /^(?:Index of|Directory listing for)\s+/i;
/** A heading longer than this names no path a mirror uses; its text is not kept. */
const MAX_HEADING = 4096;

/**
 * The links and heading of an index page, read in one pass by htmlparser2's tokenizer: linear in the page
 * (no pattern is tried twice over the same text, whatever the page holds), entities decoded, comments and the
 * insides of `<script>` and `<style>` skipped, tag and attribute names of any case.
 */
function readListing(html: string): ListingPage {
  const page: ListingPage = { links: [] };
  let heading: string | undefined;
  const parser = new Parser({
    onopentag(name, attribs) {
      if (name === 'a' && attribs.href !== undefined) page.links.push(attribs.href);
      // A heading with markup in it is no plain "Index of" heading.
      heading = page.path === undefined && HEADINGS.has(name) ? '' : undefined;
    },
    ontext(text) {
      if (heading !== undefined) heading = heading.length + text.length > MAX_HEADING ? undefined : heading + text;
    },
    onclosetag(name) {
      if (heading !== undefined && HEADINGS.has(name)) page.path = headingPath(heading);
      heading = undefined;
    },
  });
  parser.end(html);
  return page;
}

function headingPath(heading: string): string | undefined {
  const text = heading.trim();
  const match = HEADING_TEXT.exec(text);
  const path = match === null ? '' : text.slice(match[0].length);
  return path.startsWith('/') ? path : undefined;
}

/** The href targets of the `<a>` links of an index page (Apache, nginx, lighttpd, Python's http.server), in order. */
export function listingLinks(html: string): string[] {
  return readListing(html).links;
}

const DATED_NAME = /^(?:(\d{8})(?:-(\d+))?|release-(\d{8}))$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The dated build folders (`YYYYMMDD/`, `release-YYYYMMDD/`, `YYYYMMDD-N/`) an index page lists as its
 * direct children, each once, oldest first (by date, then build). Aliases (`current/`, `latest/`…), files,
 * sort links and names that are no real date are left out.
 */
export function datedFolders(html: string): DatedFolder[] {
  const page = readListing(html);
  const ancestors = ancestorPaths(page.path);
  const byName = new Map<string, DatedFolder>();
  for (const href of page.links) {
    const name = childFolderName(href, ancestors);
    if (name === undefined || byName.has(name)) continue;
    const folder = datedFolder(name);
    if (folder !== undefined) byName.set(name, folder);
  }
  return [...byName.values()].sort(
    (a, b) => compare(a.date, b.date) || (a.build ?? -1) - (b.build ?? -1) || compare(a.name, b.name),
  );
}

function datedFolder(name: string): DatedFolder | undefined {
  const match = DATED_NAME.exec(name);
  if (match === null) return undefined;
  const digits = (match[1] ?? match[3]) as string;
  if (dateInName(digits) !== digits) return undefined;
  return match[2] === undefined ? { name, date: digits } : { name, date: digits, build: Number(match[2]) };
}

/**
 * The folder a link names if it is a child folder of the listed one: `NAME/`, `./NAME/`, or an absolute
 * path or URL ending in `NAME/` (some mirrors link `/cdimage/cloud/trixie/daily/20260319-2421/`), unless
 * that path is the listed folder itself or one of its parents.
 */
function childFolderName(href: string, ancestors: Set<string>): string | undefined {
  if (href.includes('?') || href.includes('#')) return undefined;
  if (href.startsWith('/') || SCHEME.test(href)) {
    let path: string;
    try {
      path = new URL(href, 'http://listing.invalid/').pathname;
    } catch {
      return undefined;
    }
    if (ancestors.has(path) || ancestors.has(decodePath(path))) return undefined;
    return lastFolderSegment(path);
  }
  const relative = href.startsWith('./') ? href.slice(2) : href;
  return /^[^/]+\/$/.test(relative) ? relative.slice(0, -1) : undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function lastFolderSegment(path: string): string | undefined {
  if (!path.endsWith('/')) return undefined;
  const segment = path.slice(path.lastIndexOf('/', path.length - 2) + 1, -1);
  return segment === '' ? undefined : segment;
}

/** The listed folder and its parents, from the page's "Index of /path" heading when it has one. */
function ancestorPaths(listed: string | undefined): Set<string> {
  const paths = new Set<string>();
  if (listed === undefined) return paths;
  const segments = listed.split('/').filter((segment) => segment !== '');
  for (let count = 0; count <= segments.length; count++) {
    paths.add(count === 0 ? '/' : `/${segments.slice(0, count).join('/')}/`);
  }
  return paths;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
