import { editError, lineStartOf, type EditedText } from './text.js';

/** Text to put in the place of [start, end) of the original text. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Applies splices from the end of the text backwards, so that each one's offsets still hold. */
export function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let output = text;
  sorted.forEach((splice, i) => {
    const previous = sorted[i - 1];
    if (previous !== undefined && splice.end > previous.start) {
      throw editError(text, splice.start, 'two edits change the same text');
    }
    output = output.slice(0, splice.start) + splice.text + output.slice(splice.end);
  });
  return output;
}

/** Adjusts a block of whole lines for a splice at the very end of a file that has no final line break. */
export function fitBlock(src: EditedText, start: number, end: number, block: string): string {
  const { text, eol } = src;
  if (end < text.length || text.endsWith('\n') || text.length === 0) return block;
  const prefix = start === lineStartOf(text, start) ? '' : eol;
  return prefix + block.slice(0, -eol.length);
}
