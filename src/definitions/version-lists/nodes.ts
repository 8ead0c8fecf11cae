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
import { editError, lineEndAfter, lineStartOf, type EditedText } from './text.js';

/*
 * Finding things in a definition file: the file is parsed only to learn where its nodes stand in the text.
 * Shapes the editor cannot find its way through are refused here, naming the line.
 */

/** One entry of a block `versions:` list: its node and the whole lines it takes up. */
export interface BlockEntry {
  node: unknown;
  index: number;
  dashCol: number;
  /** Start of the line holding the `-`. */
  lineStart: number;
  /** End of its last line (after the line break), including comment lines indented deeper than the `-`. */
  end: number;
}

/** A `versions:` key and its list. */
export interface VersionList {
  pair: Pair;
  list: YAMLSeq;
}

export function parseSource(text: string): Document {
  const doc = parseDocument(text, { version: '1.1', keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) throw editError(text, error.pos[0], `the file is not valid YAML (${error.message})`);
  return doc;
}

export function imageList(src: EditedText, doc: Document): YAMLSeq {
  if (!isMap(doc.contents)) throw editError(src.text, 0, 'the file must be a map with an `images:` list');
  const pair = findPair(src, doc.contents, 'images');
  if (pair === undefined) throw editError(src.text, 0, 'the file has no `images:` key');
  if (!isSeq(pair.value)) throw editError(src.text, keyOffset(pair), '`images:` must be a list');
  return pair.value;
}

/** The `versions:` list of images[image]: a plain list, not an alias and without an anchor. */
export function findVersionList(src: EditedText, images: YAMLSeq, index: number): VersionList {
  const image = Number.isInteger(index) && index >= 0 ? images.items[index] : undefined;
  if (image === undefined || image === null) {
    const problem = `images has no entry ${index} (it has ${images.items.length})`;
    throw editError(src.text, images.range?.[0] ?? 0, problem);
  }
  const imageOffset = nodeOffset(image);
  if (!isMap(image))
    throw editError(src.text, imageOffset, `images[${index}] must be a map (aliases are not supported)`);
  const pair = findPair(src, image, 'versions');
  if (pair === undefined) throw editError(src.text, imageOffset, `images[${index}] has no \`versions:\` key`);
  const list = pair.value;
  const at = nodeOffset(list, keyOffset(pair));
  const where = `images[${index}].versions`;
  if (isAlias(list)) throw editError(src.text, at, `${where} is an alias; aliases are not supported`);
  if (!isSeq(list)) throw editError(src.text, keyOffset(pair), `${where} must be a list`);
  if (list.anchor !== undefined) {
    throw editError(src.text, keyOffset(pair), `${where} has an anchor (&${list.anchor}); anchors are not supported`);
  }
  return { pair, list };
}

/** The entries of a block list, each starting its own line and ending where a line is indented no deeper. */
export function blockEntries(src: EditedText, list: YAMLSeq): BlockEntry[] {
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

export function findPair(src: EditedText, map: YAMLMap, key: string): Pair | undefined {
  const pairs = map.items.filter((pair) => isScalar(pair.key) && pair.key.value === key);
  if (pairs.length > 1) {
    throw editError(src.text, keyOffset(pairs[1] as Pair), `duplicate key \`${key}\` is not supported`);
  }
  return pairs[0];
}

export function keyOffset(pair: Pair): number {
  return nodeOffset(pair.key, nodeOffset(pair.value));
}

function nodeOffset(node: unknown, fallback = 0): number {
  return (node as { range?: number[] } | null)?.range?.[0] ?? fallback;
}
