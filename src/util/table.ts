import { ellipsize, padded, TEXT_WIDTH, textWidth } from './text-width.js';

const GAP = '  ';

export interface Column {
  title: string;
  /** A column that gives way when the table would be too wide (see `table`). */
  flex?: boolean;
  /** Cells longer than this are cut with an ellipsis. */
  max?: number;
  /** Cells flush right (a duration), not left. */
  alignRight?: boolean;
}

export interface TableLayout {
  /** Put before every line. */
  indent?: string;
  /** No line is wider. */
  width?: number;
}

/**
 * Rows under a header of the titles, columns GAP apart and as wide as their widest cell (up to `max`). While
 * the lines would be wider than `width`, the widest flex column (the first of equals) gives up a character,
 * none below its title. Every line loses its trailing spaces and is cut to `width`. Cells already escaped.
 */
export function table(
  columns: readonly Column[],
  rows: readonly string[][],
  { indent = '', width = TEXT_WIDTH }: TableLayout = {},
): string[] {
  const natural = columns.map((column, i) =>
    Math.min(column.max ?? Number.POSITIVE_INFINITY, Math.max(textWidth(column.title), ...rows.map((r) => cell(r, i)))),
  );
  const widths = fitted(columns, natural, width - textWidth(indent) - GAP.length * (columns.length - 1));
  const line = (cells: readonly string[]) => {
    const text = columns.map((column, i) => aligned(column, cells[i] ?? '', widths[i] ?? 0)).join(GAP);
    return ellipsize(indent + text.trimEnd(), width);
  };
  return [line(columns.map((column) => column.title)), ...rows.map(line)];
}

function cell(row: readonly string[], i: number): number {
  return textWidth(row[i] ?? '');
}

/** The widths shrunk until they add up to `room`, or until the widest flex column is as narrow as its title. */
function fitted(columns: readonly Column[], natural: readonly number[], room: number): number[] {
  const widths = [...natural];
  const flexible = columns.flatMap((column, i) => (column.flex ? [i] : []));
  let total = widths.reduce((sum, w) => sum + w, 0);
  while (total > room && flexible.length > 0) {
    const widest = flexible.reduce((best, i) => ((widths[i] ?? 0) > (widths[best] ?? 0) ? i : best));
    if ((widths[widest] ?? 0) <= textWidth(columns[widest]?.title ?? '')) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total--;
  }
  return widths;
}

function aligned(column: Column, text: string, width: number): string {
  if (!column.alignRight) return padded(text, width);
  const fitted = ellipsize(text, width);
  return ' '.repeat(Math.max(0, width - textWidth(fitted))) + fitted;
}
