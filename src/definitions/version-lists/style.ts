import { isAlias, isMap, isScalar } from 'yaml';
import type { BlockEntry } from './nodes.js';
import { formatScalar, type ScalarStyle } from './quoting.js';
import { column, type EditedText } from './text.js';

/** The fields of a versions entry this editor writes, in the order it writes them unless a sibling says otherwise. */
export const ENTRY_FIELDS = ['version', 'url', 'checksum', 'build_date'] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];
const KNOWN_FIELDS = new Set<string>(ENTRY_FIELDS);

/** Where a new entry's `-` and keys stand, the order of its keys and how its version is quoted. */
export interface EntryStyle {
  dashCol: number;
  keyCol: number;
  order: EntryField[];
  quote: 'single' | 'double';
}

/** Keys `keyIndent` columns after the dash at `dashCol`, in the default order, the version single-quoted. */
export function defaultStyle(dashCol: number, keyIndent: number): EntryStyle {
  return { dashCol, keyCol: dashCol + keyIndent, order: [...ENTRY_FIELDS], quote: 'single' };
}

/** Columns, key order and version quoting of an existing entry; defaults where it cannot tell. */
export function siblingStyle(src: EditedText, entry: BlockEntry): EntryStyle {
  const style = defaultStyle(entry.dashCol, 2);
  const node = entry.node;
  if (!isMap(node) || node.flow === true || isAlias(node)) return style;
  const start = node.range?.[0];
  const keyCol = start === undefined ? style.keyCol : column(src.text, start);
  if (keyCol >= entry.dashCol + 2) style.keyCol = keyCol;
  const keys = node.items.map((pair) => (isScalar(pair.key) ? pair.key.value : undefined));
  const known = [...new Set(keys.filter((key): key is EntryField => typeof key === 'string' && KNOWN_FIELDS.has(key)))];
  style.order = [...known, ...ENTRY_FIELDS.filter((field) => !known.includes(field))];
  const version = node.items.find((pair) => isScalar(pair.key) && pair.key.value === 'version')?.value;
  if (isScalar(version) && version.type === 'QUOTE_DOUBLE') style.quote = 'double';
  return style;
}

/** The entry's lines, each ending with `eol`. */
export function renderEntry(entry: Readonly<Record<EntryField, string>>, style: EntryStyle, eol: string): string {
  const styles: Record<EntryField, ScalarStyle> = {
    version: style.quote,
    url: 'plain',
    checksum: 'plain',
    build_date: 'date',
  };
  const dashed = `${' '.repeat(style.dashCol)}-${' '.repeat(style.keyCol - style.dashCol - 1)}`;
  return style.order
    .map((field, i) => {
      const indent = i === 0 ? dashed : ' '.repeat(style.keyCol);
      return `${indent}${field}: ${formatScalar(entry[field], styles[field])}${eol}`;
    })
    .join('');
}
