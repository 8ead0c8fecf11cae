import type { Pair, YAMLSeq } from 'yaml';
import { editError, editedText, column, lineEndAfter, type EditedText } from './version-lists/text.js';
import {
  blockEntries,
  findVersionList,
  imageList,
  keyOffset,
  parseSource,
  type BlockEntry,
} from './version-lists/nodes.js';
import { assertRemovable, checkIndices } from './version-lists/shapes.js';
import { defaultStyle, renderEntry, siblingStyle, type EntryField, type EntryStyle } from './version-lists/style.js';
import { applySplices, fitBlock, type Splice } from './version-lists/splices.js';
import { expectEntry, verifyOutput, type ExpectedList } from './version-lists/read-back.js';

/**
 * Edits the `versions:` lists of an image definition file in place: the text is only parsed to find
 * where things are, then spliced, so every byte this does not change stays as written (comments,
 * quoting, key order, indentation, blank lines, CRLF line endings, the `---` marker).
 */

/** A version entry to write; `checksum` like `sha256:<hex>`, `build_date` as `YYYY-MM-DD`. */
export type NewVersionEntry = Record<EntryField, string>;

export interface VersionListEdit {
  /** Index of the image in the file's top-level `images:` list. */
  image: number;
  /** Indices, in file order, of entries of that image's `versions:` list to remove. */
  remove: number[];
  /** The entry (or entries, in this order) to add: before the first remaining entry, or after the last one. */
  insert?: { entry: NewVersionEntry | readonly NewVersionEntry[]; at: 'start' | 'end' };
}

/** One image's edit as splices of the text, and what its versions list must read back as. */
interface Plan extends ExpectedList {
  splices: Splice[];
}

/**
 * Applies `edits` (one per image) to the text of a definition file and returns the new text.
 * Throws VersionEditError, naming the line, for shapes it does not handle or indices that do not exist.
 */
export function editVersionLists(text: string, edits: VersionListEdit[]): string {
  const src = editedText(text);
  const images = imageList(src, parseSource(text));
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

function planEdit(src: EditedText, images: YAMLSeq, edit: VersionListEdit): Plan {
  const { pair, list } = findVersionList(src, images, edit.image);
  const plan = list.flow ? planEmptyFlow(src, pair, list, edit) : planBlockList(src, list, edit);
  return { image: edit.image, ...plan };
}

/** `versions: []` becomes a block list holding the new entry (dash at the key's column + 2). */
function planEmptyFlow(src: EditedText, pair: Pair, list: YAMLSeq, edit: VersionListEdit): Omit<Plan, 'image'> {
  const { text } = src;
  const [start, end] = list.range ?? [keyOffset(pair), keyOffset(pair)];
  if (list.items.length > 0) {
    const problem = 'a flow-style versions list ([...]) with entries is not supported; write it as a block list';
    throw editError(text, start, problem);
  }
  checkIndices(text, start, edit.image, edit.remove, 0);
  if (edit.insert === undefined) return { splices: [], count: 0, expect: [] };
  let cut = start;
  while (cut > 0 && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) cut -= 1;
  if (text[cut - 1] !== ':' || text.slice(start, end).includes('\n')) {
    throw editError(text, start, 'an empty versions list must be written `versions: []` on the key line');
  }
  const style = defaultStyle(column(text, keyOffset(pair)) + 2, 2);
  const lineEnd = lineEndAfter(text, end);
  const rest = text.slice(end, lineEnd);
  const kept = rest.trim() === '' ? rest.slice(rest.search(/\r?\n|$/)) : rest;
  const block = renderEntries(edit.insert, style, src.eol);
  const replacement = kept.endsWith('\n') ? kept + block : kept + src.eol + block.slice(0, -src.eol.length);
  const splices = [{ start: cut, end: lineEnd, text: replacement }];
  const added = entriesOf(edit.insert);
  return { splices, count: added.length, expect: added.flatMap((entry, i) => expectEntry(i, entry)) };
}

function planBlockList(src: EditedText, list: YAMLSeq, edit: VersionListEdit): Omit<Plan, 'image'> {
  const entries = blockEntries(src, list);
  const listOffset = list.range?.[0] ?? 0;
  checkIndices(src.text, listOffset, edit.image, edit.remove, entries.length);
  const removed = new Set(edit.remove);
  for (const index of removed) assertRemovable(src, entries[index] as BlockEntry);
  const splices: Splice[] = [...removed].map((index) => {
    const entry = entries[index] as BlockEntry;
    return { start: entry.lineStart, end: entry.end, text: '' };
  });
  const remaining = entries.filter((entry) => !removed.has(entry.index));
  const added = edit.insert === undefined ? [] : entriesOf(edit.insert);
  const count = remaining.length + added.length;
  if (count === 0) throw editError(src.text, listOffset, 'removing every entry without inserting one is not supported');
  if (edit.insert === undefined) return { splices, count, expect: [] };
  splices.push(...insertSplice(src, entries, remaining, splices, edit.insert));
  const first = edit.insert.at === 'start' ? 0 : count - added.length;
  return { splices, count, expect: added.flatMap((entry, i) => expectEntry(first + i, entry)) };
}

/**
 * Where the new entry goes: before the first remaining entry or after the last one; if none remain,
 * in the place of the first (at 'start') or last (at 'end') removed one, whose removal splice it becomes.
 */
function insertSplice(
  src: EditedText,
  entries: BlockEntry[],
  remaining: BlockEntry[],
  splices: Splice[],
  insert: NonNullable<VersionListEdit['insert']>,
): Splice[] {
  const pool = remaining.length > 0 ? remaining : entries;
  const sibling = (insert.at === 'start' ? pool[0] : pool[pool.length - 1]) as BlockEntry;
  const block = renderEntries(insert, siblingStyle(src, sibling), src.eol);
  if (remaining.length === 0) {
    const removal = splices.find((splice) => splice.start === sibling.lineStart) as Splice;
    removal.text = fitBlock(src, removal.start, removal.end, block);
    return [];
  }
  const at = insert.at === 'start' ? sibling.lineStart : sibling.end;
  return [{ start: at, end: at, text: fitBlock(src, at, at, block) }];
}

function entriesOf(insert: NonNullable<VersionListEdit['insert']>): readonly NewVersionEntry[] {
  return Array.isArray(insert.entry) ? insert.entry : [insert.entry as NewVersionEntry];
}

function renderEntries(insert: NonNullable<VersionListEdit['insert']>, style: EntryStyle, eol: string): string {
  return entriesOf(insert)
    .map((entry) => renderEntry(entry, style, eol))
    .join('');
}
