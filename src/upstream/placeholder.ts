import { naturalCompare } from '../definitions/natural-sort.js';

const OPEN = 'HEREBE';
const CLOSE = 'DRAGONS';

/** OIM's `HEREBE<regex>DRAGONS` placeholder in a file name that cannot be used. */
export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';

  constructor(
    readonly placeholder: string,
    readonly reason: string,
  ) {
    super(`Invalid placeholder ${JSON.stringify(placeholder)}: ${reason}`);
  }
}

/** Whether a file name carries a placeholder marker; a lone or misplaced one too, so it is reported, not fetched. */
export function hasPlaceholder(fileName: string): boolean {
  return fileName.includes(OPEN) || fileName.includes(CLOSE);
}

/**
 * A RegExp matching a whole file name: the text around the markers literally, the text between them as a
 * regex. `CentOS-Stream-GenericCloud-9-HEREBE\d+\.\dDRAGONS.x86_64.qcow2` gives
 * `^CentOS-Stream-GenericCloud-9-(?:\d+\.\d)\.x86_64\.qcow2$`.
 */
export function placeholderPattern(fileName: string): RegExp {
  const open = fileName.indexOf(OPEN);
  const close = fileName.indexOf(CLOSE);
  if (open === -1 && close === -1) throw new PlaceholderError(fileName, `has no ${OPEN}…${CLOSE} placeholder`);
  if (open === -1) throw new PlaceholderError(fileName, `has ${CLOSE} without ${OPEN}`);
  if (close === -1) throw new PlaceholderError(fileName, `has ${OPEN} without ${CLOSE}`);
  if (fileName.indexOf(OPEN, open + 1) !== -1) throw new PlaceholderError(fileName, `has more than one ${OPEN}`);
  if (fileName.indexOf(CLOSE, close + 1) !== -1) throw new PlaceholderError(fileName, `has more than one ${CLOSE}`);
  if (close < open + OPEN.length) throw new PlaceholderError(fileName, `has ${CLOSE} before ${OPEN}`);
  const inner = fileName.slice(open + OPEN.length, close);
  if (inner === '') throw new PlaceholderError(fileName, `has nothing between ${OPEN} and ${CLOSE}`);
  const before = escapeRegex(fileName.slice(0, open));
  const after = escapeRegex(fileName.slice(close + CLOSE.length));
  try {
    // Checked alone first, so `a)(b` is reported rather than silently balanced by the wrapping group.
    new RegExp(inner);
    return new RegExp(`^${before}(?:${inner})${after}$`);
  } catch (error) {
    throw new PlaceholderError(fileName, `${JSON.stringify(inner)} is no valid regex (${(error as Error).message})`);
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The newest of the names the pattern matches, in natural order (as OIM's natsort). */
export function newestMatching(names: string[], pattern: RegExp): string | undefined {
  // A global or sticky pattern would carry lastIndex from one test to the next.
  const matcher = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  let newest: string | undefined;
  for (const name of names) {
    if (matcher.test(name) && (newest === undefined || naturalCompare(name, newest) > 0)) newest = name;
  }
  return newest;
}
