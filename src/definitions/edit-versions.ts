import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { pyyamlTags, YamlTimestamp } from '../yaml/pyyaml.js';
import { plural } from '../util/plural.js';

/**
 * Edits the `versions:` lists of an image definition file in place: the text is only parsed to find
 * where things are, then spliced, so every byte this does not change stays as written (comments,
 * quoting, key order, indentation, blank lines, CRLF line endings, the `---` marker).
 */

/** A version entry to write; `checksum` like `sha256:<hex>`, `build_date` as `YYYY-MM-DD`. */
export interface NewVersionEntry {
  version: string;
  url: string;
  checksum: string;
  build_date: string;
}

export interface VersionListEdit {
  /** Index of the image in the file's top-level `images:` list. */
  image: number;
  /** Indices, in file order, of entries of that image's `versions:` list to remove. */
  remove: number[];
  /** The entry to add: before the first remaining entry, or after the last one. */
  insert?: { entry: NewVersionEntry; at: 'start' | 'end' };
}

/** The file, or the edit asked of it, has a shape this editor does not handle; the message starts with `line N:`. */
export class VersionEditError extends Error {
  override readonly name = 'VersionEditError';
}

type Field = keyof NewVersionEntry;
type ScalarStyle = 'plain' | 'single' | 'double' | 'date';
const DEFAULT_ORDER: readonly Field[] = ['version', 'url', 'checksum', 'build_date'];
const FIELDS = new Set<string>(DEFAULT_ORDER);

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** A value the edited file must hold at images[image].versions[index][field]. */
interface Expectation {
  index: number;
  field: Field;
  value: string;
}

interface Plan {
  image: number;
  splices: Splice[];
  /** How many entries the versions list holds afterwards. */
  count: number;
  expect: Expectation[];
}

interface Source {
  text: string;
  eol: string;
}

/** One entry of a block `versions:` list: its node and the whole lines it takes up. */
interface Entry {
  node: unknown;
  index: number;
  dashCol: number;
  /** Start of the line holding the `-`. */
  lineStart: number;
  /** End of its last line (after the line break), including comment lines indented deeper than the `-`. */
  end: number;
}

interface EntryStyle {
  dashCol: number;
  keyCol: number;
  order: Field[];
  quote: 'single' | 'double';
}

/**
 * Applies `edits` (one per image) to the text of a definition file and returns the new text.
 * Throws VersionEditError, naming the line, for shapes it does not handle or indices that do not exist.
 */
export function editVersionLists(text: string, edits: VersionListEdit[]): string {
  const src: Source = { text, eol: lineEnding(text) };
  const doc = parseSource(text);
  const images = imageList(src, doc);
  const seen = new Set<number>();
  const plans = edits.map((edit) => {
    if (seen.has(edit.image)) {
      throw editError(text, images.range?.[0] ?? 0, `image ${edit.image} is edited twice in one call`);
    }
    seen.add(edit.image);
    return planEdit(src, images, edit);
  });
  const output = applySplices(
    text,
    plans.flatMap((plan) => plan.splices),
  );
  verifyOutput(output, plans);
  return output;
}

function parseSource(text: string): Document {
  const doc = parseDocument(text, { version: '1.1', keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) throw editError(text, error.pos[0], `the file is not valid YAML (${error.message})`);
  return doc;
}

function imageList(src: Source, doc: Document): YAMLSeq {
  if (!isMap(doc.contents)) throw editError(src.text, 0, 'the file must be a map with an `images:` list');
  const pair = findPair(src, doc.contents, 'images');
  if (pair === undefined) throw editError(src.text, 0, 'the file has no `images:` key');
  if (!isSeq(pair.value)) throw editError(src.text, keyOffset(pair), '`images:` must be a list');
  return pair.value;
}

function planEdit(src: Source, images: YAMLSeq, edit: VersionListEdit): Plan {
  const image = Number.isInteger(edit.image) && edit.image >= 0 ? images.items[edit.image] : undefined;
  if (image === undefined || image === null) {
    const problem = `images has no entry ${edit.image} (it has ${images.items.length})`;
    throw editError(src.text, images.range?.[0] ?? 0, problem);
  }
  const imageOffset = nodeOffset(image);
  if (!isMap(image)) {
    throw editError(src.text, imageOffset, `images[${edit.image}] must be a map (aliases are not supported)`);
  }
  const pair = findPair(src, image, 'versions');
  if (pair === undefined) throw editError(src.text, imageOffset, `images[${edit.image}] has no \`versions:\` key`);
  const list = pair.value;
  const at = nodeOffset(list, keyOffset(pair));
  const where = `images[${edit.image}].versions`;
  if (isAlias(list)) throw editError(src.text, at, `${where} is an alias; aliases are not supported`);
  if (!isSeq(list)) throw editError(src.text, keyOffset(pair), `${where} must be a list`);
  if (list.anchor !== undefined) {
    throw editError(src.text, keyOffset(pair), `${where} has an anchor (&${list.anchor}); anchors are not supported`);
  }
  const plan = list.flow ? planEmptyFlow(src, pair, list, edit) : planBlockList(src, list, edit);
  return { image: edit.image, ...plan };
}

/** `versions: []` becomes a block list holding the new entry (dash at the key's column + 2). */
function planEmptyFlow(src: Source, pair: Pair, list: YAMLSeq, edit: VersionListEdit): Omit<Plan, 'image'> {
  const { text } = src;
  const [start, end] = list.range ?? [keyOffset(pair), keyOffset(pair)];
  if (list.items.length > 0) {
    const problem = 'a flow-style versions list ([...]) with entries is not supported; write it as a block list';
    throw editError(text, start, problem);
  }
  checkIndices(text, start, edit, 0);
  if (edit.insert === undefined) return { splices: [], count: 0, expect: [] };
  let cut = start;
  while (cut > 0 && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) cut -= 1;
  if (text[cut - 1] !== ':' || text.slice(start, end).includes('\n')) {
    throw editError(text, start, 'an empty versions list must be written `versions: []` on the key line');
  }
  const keyCol = column(text, keyOffset(pair));
  const style: EntryStyle = { dashCol: keyCol + 2, keyCol: keyCol + 4, order: [...DEFAULT_ORDER], quote: 'single' };
  const lineEnd = lineEndAfter(text, end);
  const rest = text.slice(end, lineEnd);
  const kept = rest.trim() === '' ? rest.slice(rest.search(/\r?\n|$/)) : rest;
  const block = renderEntry(edit.insert.entry, style, src.eol);
  const replacement = kept.endsWith('\n') ? kept + block : kept + src.eol + block.slice(0, -src.eol.length);
  const splices = [{ start: cut, end: lineEnd, text: replacement }];
  return { splices, count: 1, expect: expectEntry(0, edit.insert.entry) };
}

function planBlockList(src: Source, list: YAMLSeq, edit: VersionListEdit): Omit<Plan, 'image'> {
  const entries = blockEntries(src, list);
  const listOffset = list.range?.[0] ?? 0;
  checkIndices(src.text, listOffset, edit, entries.length);
  const removed = new Set(edit.remove);
  for (const index of removed) assertRemovable(src, entries[index] as Entry);
  const splices: Splice[] = [...removed].map((index) => {
    const entry = entries[index] as Entry;
    return { start: entry.lineStart, end: entry.end, text: '' };
  });
  const expect: Expectation[] = [];
  const remaining = entries.filter((entry) => !removed.has(entry.index));
  const count = remaining.length + (edit.insert === undefined ? 0 : 1);
  if (count === 0) throw editError(src.text, listOffset, 'removing every entry without inserting one is not supported');
  if (edit.insert !== undefined) {
    splices.push(...insertSplice(src, entries, remaining, splices, edit.insert));
    expect.push(...expectEntry(edit.insert.at === 'start' ? 0 : count - 1, edit.insert.entry));
  }
  return { splices, count, expect };
}

/**
 * Where the new entry goes: before the first remaining entry or after the last one; if none remain,
 * in the place of the first (at 'start') or last (at 'end') removed one, whose removal splice it becomes.
 */
function insertSplice(
  src: Source,
  entries: Entry[],
  remaining: Entry[],
  splices: Splice[],
  insert: NonNullable<VersionListEdit['insert']>,
): Splice[] {
  const pool = remaining.length > 0 ? remaining : entries;
  const sibling = (insert.at === 'start' ? pool[0] : pool[pool.length - 1]) as Entry;
  const block = renderEntry(insert.entry, siblingStyle(src, sibling), src.eol);
  if (remaining.length === 0) {
    const removal = splices.find((splice) => splice.start === sibling.lineStart) as Splice;
    removal.text = fitBlock(src, removal.start, removal.end, block);
    return [];
  }
  const at = insert.at === 'start' ? sibling.lineStart : sibling.end;
  return [{ start: at, end: at, text: fitBlock(src, at, at, block) }];
}

/** Adjusts a block of whole lines for a splice at the very end of a file that has no final line break. */
function fitBlock(src: Source, start: number, end: number, block: string): string {
  const { text, eol } = src;
  if (end < text.length || text.endsWith('\n') || text.length === 0) return block;
  const prefix = start === lineStartOf(text, start) ? '' : eol;
  return prefix + block.slice(0, -eol.length);
}

function blockEntries(src: Source, list: YAMLSeq): Entry[] {
  const { text } = src;
  const token = list.srcToken;
  const listOffset = list.range?.[0] ?? 0;
  if (token === undefined || token.type !== 'block-seq' || token.items.length !== list.items.length) {
    throw editError(text, listOffset, 'this versions list has a layout that is not supported');
  }
  return token.items.map((item, index) => {
    const dash = item.start.find((part) => part.type === 'seq-item-ind')?.offset;
    if (dash === undefined) throw editError(text, listOffset, 'a versions entry without a `-` is not supported');
    const lineStart = lineStartOf(text, dash);
    if (!/^ *$/.test(text.slice(lineStart, dash))) {
      throw editError(text, dash, 'a versions entry must start its own line (`- ...` after indentation only)');
    }
    const dashCol = dash - lineStart;
    const end = entryEnd(text, dash, dashCol);
    const node: unknown = list.items[index];
    const nodeEnd = (node as { range?: number[] } | null)?.range?.[1];
    if (nodeEnd !== undefined && nodeEnd > end) {
      throw editError(text, dash, 'a versions entry with lines indented no deeper than its `-` is not supported');
    }
    return { node, index, dashCol, lineStart, end };
  });
}

/** The end of the entry's last line: lines after the `-` line belong to it while indented deeper than the `-`. */
function entryEnd(text: string, dash: number, dashCol: number): number {
  let pos = lineEndAfter(text, dash);
  let end = pos;
  while (pos < text.length) {
    const next = lineEndAfter(text, pos);
    const line = text.slice(pos, next);
    if (line.trim() !== '') {
      if (line.length - line.trimStart().length <= dashCol || !line.startsWith(' '.repeat(dashCol + 1))) break;
      end = next;
    }
    pos = next;
  }
  return end;
}

function checkIndices(text: string, offset: number, edit: VersionListEdit, count: number): void {
  const bad = (index: number): boolean => !Number.isInteger(index) || index < 0 || index >= count;
  const where = `images[${edit.image}].versions`;
  for (const index of edit.remove) {
    if (bad(index))
      throw editError(text, offset, `cannot remove entry ${index}: ${where} has ${plural(count, 'entry', 'entries')}`);
  }
}

/** Entries that are removed must not be, hold or carry aliases or anchors. */
function assertRemovable(src: Source, entry: Entry): void {
  const node = entry.node;
  if (isAlias(node)) {
    throw editError(src.text, entry.lineStart, `cannot remove entry ${entry.index}: it is an alias`);
  }
  if (hasAnchorOrAlias(node)) {
    const problem = `cannot remove entry ${entry.index}: anchors and aliases in it are not supported`;
    throw editError(src.text, entry.lineStart, problem);
  }
}

function hasAnchorOrAlias(node: unknown): boolean {
  if (isAlias(node)) return true;
  if (node === null || typeof node !== 'object') return false;
  if ((node as { anchor?: string }).anchor !== undefined) return true;
  if (isMap(node)) return node.items.some((pair) => hasAnchorOrAlias(pair.key) || hasAnchorOrAlias(pair.value));
  if (isSeq(node)) return node.items.some((item) => hasAnchorOrAlias(item));
  return false;
}

/** Columns, key order and version quoting of an existing entry; defaults where it cannot tell. */
function siblingStyle(src: Source, entry: Entry): EntryStyle {
  const { dashCol } = entry;
  const style: EntryStyle = { dashCol, keyCol: dashCol + 2, order: [...DEFAULT_ORDER], quote: 'single' };
  const node = entry.node;
  if (!isMap(node) || node.flow === true || isAlias(node)) return style;
  const start = node.range?.[0];
  const keyCol = start === undefined ? style.keyCol : column(src.text, start);
  if (keyCol >= entry.dashCol + 2) style.keyCol = keyCol;
  const keys = node.items.map((pair) => (isScalar(pair.key) ? pair.key.value : undefined));
  const known = [...new Set(keys.filter((key): key is Field => typeof key === 'string' && FIELDS.has(key)))];
  style.order = [...known, ...DEFAULT_ORDER.filter((field) => !known.includes(field))];
  const version = node.items.find((pair) => isScalar(pair.key) && pair.key.value === 'version')?.value;
  if (isScalar(version) && version.type === 'QUOTE_DOUBLE') style.quote = 'double';
  return style;
}

function renderEntry(entry: NewVersionEntry, style: EntryStyle, eol: string): string {
  const styles: Record<Field, ScalarStyle> = {
    version: style.quote,
    url: 'plain',
    checksum: 'plain',
    build_date: 'date',
  };
  const dashed = `${' '.repeat(style.dashCol)}-${' '.repeat(style.keyCol - style.dashCol - 1)}`;
  return style.order
    .map((field, i) => {
      const indent = i === 0 ? dashed : ' '.repeat(style.keyCol);
      return `${indent}${field}: ${formatScalar(entry[field], styles[field], false)}${eol}`;
    })
    .join('');
}

/** Characters a single-quoted or plain scalar cannot carry as they are (controls, YAML 1.1 line breaks, BOM). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function formatScalar(value: string, style: ScalarStyle, flow: boolean): string {
  if (style === 'date' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return value;
  if ((style === 'plain' || style === 'date') && isSafePlain(value, flow)) return value;
  if (style !== 'double' && !NEEDS_ESCAPE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, unicodeEscape);
}

/** Whether `value` may be written unquoted and still reads back (as PyYAML does) as that very string. */
function isSafePlain(value: string, flow: boolean): boolean {
  if (!/^[A-Za-z0-9_./(+$][^\s]*$/.test(value) || NEEDS_ESCAPE.test(value) || value.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(value)) return false;
  if (value === '=' || value === '<<') return false;
  const probe = parseDocument(flow ? `{x: ${value}}` : `x: ${value}`, { version: '1.1', customTags: pyyamlTags });
  return probe.errors.length === 0 && probe.warnings.length === 0 && probe.get('x') === value;
}

function expectEntry(index: number, entry: NewVersionEntry): Expectation[] {
  return DEFAULT_ORDER.map((field) => ({ index, field, value: entry[field] }));
}

function applySplices(text: string, splices: Splice[]): string {
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

/** Defensive: the edited text must parse and hold what was asked for, else nothing is returned. */
function verifyOutput(output: string, plans: Plan[]): void {
  const doc = parseDocument(output, { version: '1.1', customTags: pyyamlTags, uniqueKeys: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) {
    throw editError(output, error.pos[0], `the edited text would not parse (${error.message}); not written`);
  }
  for (const plan of plans) {
    const list = doc.getIn(['images', plan.image, 'versions'], true);
    const count = isSeq(list) ? list.items.length : -1;
    if (count !== plan.count) {
      const entries = plural(count, 'entry', 'entries');
      const problem = `after editing, images[${plan.image}].versions has ${entries}, not ${plan.count}`;
      throw editError(output, 0, problem);
    }
    for (const { index, field, value } of plan.expect) {
      const read = doc.getIn(['images', plan.image, 'versions', index, field]);
      const text = read instanceof YamlTimestamp && field === 'build_date' ? read.text : read;
      if (text !== value) {
        const where = `images[${plan.image}].versions[${index}].${field}`;
        throw editError(output, 0, `after editing, ${where} does not read back as ${JSON.stringify(value)}`);
      }
    }
  }
}

function findPair(src: Source, map: YAMLMap, key: string): Pair | undefined {
  const pairs = map.items.filter((pair) => isScalar(pair.key) && pair.key.value === key);
  if (pairs.length > 1) {
    throw editError(src.text, keyOffset(pairs[1] as Pair), `duplicate key \`${key}\` is not supported`);
  }
  return pairs[0];
}

function keyOffset(pair: Pair): number {
  return nodeOffset(pair.key, nodeOffset(pair.value));
}

function nodeOffset(node: unknown, fallback = 0): number {
  return (node as { range?: number[] } | null)?.range?.[0] ?? fallback;
}

function lineEnding(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

function editError(text: string, offset: number, message: string): VersionEditError {
  const line = text.slice(0, Math.max(0, offset)).split('\n').length;
  return new VersionEditError(`line ${line}: ${message}`);
}
