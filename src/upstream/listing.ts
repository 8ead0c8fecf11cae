import { dateInName } from './dates.js';

/** A dated build folder of an index page. */
export interface DatedFolder {
  /** As linked, without the trailing slash: `20260705`, `release-20260926`, `20251127-2309`. */
  name: string;
  /** YYYYMMDD */
  date: string;
  /** The number after the dash of `YYYYMMDD-N`. */
  build?: number;
}

const IGNORED_BLOCKS = /<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>/gi;
// `\s` before href keeps `data-href` out; `<a\b` keeps `<abbr>` and `<address>` out.
const ANCHOR_HREF = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/** The href targets of the `<a>` links of an index page (Apache, nginx, lighttpd, Python's http.server), in order. */
export function listingLinks(html: string): string[] {
  const links: string[] = [];
  for (const match of html.replace(IGNORED_BLOCKS, '').matchAll(ANCHOR_HREF)) {
    links.push(decodeEntities(match[1] ?? match[2] ?? match[3] ?? ''));
  }
  return links;
}

const DATED_NAME = /^(?:(\d{8})(?:-(\d+))?|release-(\d{8}))$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The dated build folders (`YYYYMMDD/`, `release-YYYYMMDD/`, `YYYYMMDD-N/`) an index page lists as its
 * direct children, each once, oldest first (by date, then build). Aliases (`current/`, `latest/`…), files,
 * sort links and names that are no real date are left out.
 */
export function datedFolders(html: string): DatedFolder[] {
  const ancestors = ancestorPaths(html);
  const byName = new Map<string, DatedFolder>();
  for (const href of listingLinks(html)) {
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

const TITLE_PATH = /<(title|h1)\b[^>]*>\s*(?:Index of|Directory listing for)\s+(\/[^<]*?)\s*<\/\1\s*>/i;

/** The listed folder and its parents, from the page's "Index of /path" title when it has one. */
function ancestorPaths(html: string): Set<string> {
  const paths = new Set<string>();
  const match = TITLE_PATH.exec(html);
  if (match === null) return paths;
  const segments = decodeEntities(match[2] as string)
    .split('/')
    .filter((segment) => segment !== '');
  for (let count = 0; count <= segments.length; count++) {
    paths.add(count === 0 ? '/' : `/${segments.slice(0, count).join('/')}/`);
  }
  return paths;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  const decode = (entity: string, decimal?: string, hex?: string, named?: string): string => {
    if (named !== undefined) return NAMED_ENTITIES[named.toLowerCase()] ?? entity;
    const code = decimal !== undefined ? Number(decimal) : parseInt(hex as string, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  };
  return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, decode);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
