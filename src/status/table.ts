/** The width of the text form: every line fits, whatever the names. */
export const WIDTH = 120;
const ELLIPSIS = '…';
const GAP = '  ';

export interface Column {
  title: string;
  /** The column that gives way (truncated with an ellipsis) when the table would be too wide. */
  flex?: boolean;
  /** Cells longer than this are truncated. */
  max?: number;
}

/** Characters as a terminal counts them (code points; the text is escaped, so no controls). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to `width` characters, the last one an ellipsis when anything was cut. */
export function clip(text: string, width: number = WIDTH): string {
  if (textWidth(text) <= width) return text;
  return [...text].slice(0, Math.max(width - 1, 0)).join('') + ELLIPSIS;
}

/**
 * Rows under a header, columns as wide as their widest cell (up to `max`); the flex column takes what is left of
 * `WIDTH` after the indent and the others, and no more than it needs. Cells already escaped.
 */
export function table(columns: Column[], rows: string[][], indent = '  '): string[] {
  const natural = columns.map((column, i) =>
    Math.min(column.max ?? Number.POSITIVE_INFINITY, Math.max(textWidth(column.title), ...rows.map((r) => cell(r, i)))),
  );
  const flexAt = columns.findIndex((column) => column.flex);
  if (flexAt >= 0) {
    const others = natural.reduce((sum, width, i) => (i === flexAt ? sum : sum + width), 0);
    const room = WIDTH - textWidth(indent) - others - GAP.length * (columns.length - 1);
    const least = textWidth(columns[flexAt]?.title ?? '');
    natural[flexAt] = Math.max(Math.min(natural[flexAt] ?? 0, room), least);
  }
  const line = (cells: string[]) =>
    clip(
      indent +
        cells
          .map((text, i) => pad(clip(text, natural[i] ?? 0), natural[i] ?? 0))
          .join(GAP)
          .trimEnd(),
    );
  return [line(columns.map((column) => column.title)), ...rows.map(line)];
}

function cell(row: string[], i: number): number {
  return textWidth(row[i] ?? '');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(width - textWidth(text), 0));
}
