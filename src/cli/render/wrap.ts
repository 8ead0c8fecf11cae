import { TEXT_WIDTH } from '../../util/text-width.js';
import { safeText } from '../safe-text.js';

/**
 * `text` escaped and broken into lines of at most TEXT_WIDTH: at spaces where it can, inside a word longer than
 * a line where it must. The first line starts with `first`, the others with `rest`.
 */
export function wrap(text: string, rest: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of safeText(text).split(' ')) {
    const joined = fresh ? line + word : `${line} ${word}`;
    if (joined.length <= TEXT_WIDTH) {
      line = joined;
      fresh = false;
      continue;
    }
    if (!fresh) lines.push(line);
    let remaining = word;
    let start = fresh ? line : rest;
    while (start.length + remaining.length > TEXT_WIDTH) {
      const room = TEXT_WIDTH - start.length;
      lines.push(start + remaining.slice(0, room));
      remaining = remaining.slice(room);
      start = rest;
    }
    line = start + remaining;
    fresh = false;
  }
  lines.push(line);
  return lines;
}
