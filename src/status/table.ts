import { ellipsize, padded, TEXT_WIDTH, textWidth } from '../util/text-width.js';

const GAP = '  ';

export interface Column {
  title: string;
  /** The column that gives way (truncated with an ellipsis) when the table would be too wide. */
  flex?: boolean;
  /** Cells longer than this are truncated. */
  max?: number;
}

/** `text` cut to `width` (every line of the text form fits TEXT_WIDTH), the last character an ellipsis when cut. */
export function clip(text: string, width: number = TEXT_WIDTH): string {
  return ellipsize(text, width);
}

/**
 * Rows under a header, columns as wide as their widest cell (up to `max`); the flex column takes what is left of
 * `TEXT_WIDTH` after the indent and the others, and no more than it needs. Cells already escaped.
 */
export function table(columns: Column[], rows: string[][], indent = '  '): string[] {
  const natural = columns.map((column, i) =>
    Math.min(column.max ?? Number.POSITIVE_INFINITY, Math.max(textWidth(column.title), ...rows.map((r) => cell(r, i)))),
  );
  const flexAt = columns.findIndex((column) => column.flex);
  if (flexAt >= 0) {
    const others = natural.reduce((sum, width, i) => (i === flexAt ? sum : sum + width), 0);
    const room = TEXT_WIDTH - textWidth(indent) - others - GAP.length * (columns.length - 1);
    const least = textWidth(columns[flexAt]?.title ?? '');
    natural[flexAt] = Math.max(Math.min(natural[flexAt] ?? 0, room), least);
  }
  const line = (cells: string[]) =>
    clip(
      indent +
        cells
          .map((text, i) => padded(text, natural[i] ?? 0))
          .join(GAP)
          .trimEnd(),
    );
  return [line(columns.map((column) => column.title)), ...rows.map(line)];
}

function cell(row: string[], i: number): number {
  return textWidth(row[i] ?? '');
}
