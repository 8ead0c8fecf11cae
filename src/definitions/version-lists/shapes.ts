import { isAlias, isMap, isSeq } from 'yaml';
import { plural } from '../../util/plural.js';
import type { BlockEntry } from './nodes.js';
import { editError, type EditedText } from './text.js';

/** Every index to remove names an entry of images[image].versions, which holds `count`. */
export function checkIndices(text: string, offset: number, image: number, remove: number[], count: number): void {
  const bad = (index: number): boolean => !Number.isInteger(index) || index < 0 || index >= count;
  const where = `images[${image}].versions`;
  for (const index of remove) {
    if (bad(index))
      throw editError(text, offset, `cannot remove entry ${index}: ${where} has ${plural(count, 'entry', 'entries')}`);
  }
}

/** Entries that are removed must not be, hold or carry aliases or anchors. */
export function assertRemovable(src: EditedText, entry: BlockEntry): void {
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
