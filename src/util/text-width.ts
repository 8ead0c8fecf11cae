/** What a person reads fits this many columns: a 120-column terminal shows it without wrapping. */
export const TEXT_WIDTH = 120;

/** Characters as a terminal counts them: code points, not UTF-16 units (an emoji in a name counts once). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to `width` characters, its last one an ellipsis when anything was cut. */
export function ellipsize(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  return `${[...text].slice(0, width - 1).join('')}…`;
}

/** `text` cut or padded to exactly `width` characters. */
export function padded(text: string, width: number): string {
  const fitted = ellipsize(text, width);
  return fitted + ' '.repeat(Math.max(0, width - textWidth(fitted)));
}
