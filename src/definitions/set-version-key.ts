import { isMap, isScalar, type YAMLMap } from 'yaml';
import { formatScalar } from './version-lists/quoting.js';
import { blockEntries, findPair, findVersionList, imageList, parseSource } from './version-lists/nodes.js';
import { applySplices, type Splice } from './version-lists/splices.js';
import { column, editedText, editError, lineEndAfter } from './version-lists/text.js';

/** The version keys this editor sets. */
export type VersionKey = 'mirror_url' | 'mirror_checksum';

/** Keys to set in one version entry, in this order: `image` and `version` index the file's lists (file order). */
export interface VersionKeySet {
  image: number;
  version: number;
  values: readonly (readonly [VersionKey, string])[];
}

/**
 * Sets keys of version entries in place, like `editVersionLists`: an existing value is replaced where it
 * stands; the missing keys are written on their own lines, at the entry's indentation, after the last of its
 * `url:` and the keys set that it has. Every other byte stays as written. Throws VersionEditError, naming the
 * line, for shapes it does not handle.
 */
export function setVersionKeys(text: string, sets: readonly VersionKeySet[]): string {
  const src = editedText(text);
  const images = imageList(src, parseSource(text));
  const splices = sets.flatMap((set): Splice[] => {
    const { list } = findVersionList(src, images, set.image);
    const entry = blockEntries(src, list)[set.version];
    if (!entry || !isMap(entry.node)) {
      throw editError(text, list.range?.[0] ?? 0, `images[${set.image}].versions[${set.version}] is not a map`);
    }
    const map = entry.node as YAMLMap;
    const replaced: Splice[] = [];
    const missing: string[] = [];
    let after = plainValue(text, entry.lineStart, findPair(src, map, 'url'), 'a version entry without a plain `url:`');
    for (const [key, raw] of set.values) {
      const value = formatScalar(raw, 'plain');
      const present = findPair(src, map, key);
      if (!present) {
        missing.push(`${key}: ${value}`);
        continue;
      }
      const range = plainValue(text, entry.lineStart, present, `${key} must be a plain value to be replaced`);
      replaced.push({ start: range.value[0], end: range.value[1], text: value });
      if (range.value[1] > after.value[1]) after = range;
    }
    if (missing.length === 0) return replaced;
    const at = lineEndAfter(text, after.value[1]);
    const eol = text.slice(at - 1, at) === '\n' ? '' : src.eol;
    const indent = ' '.repeat(column(text, after.key[0]));
    const lines = missing.map((line) => `${indent}${line}${src.eol}`).join('');
    return [...replaced, { start: at, end: at, text: `${eol}${lines}` }];
  });
  return applySplices(text, splices);
}

/** The ranges of a pair's key and plain scalar value; throws naming the entry's line otherwise. */
function plainValue(text: string, line: number, pair: ReturnType<typeof findPair>, problem: string) {
  const value = pair && isScalar(pair.value) ? pair.value.range : undefined;
  const key = pair && isScalar(pair.key) ? pair.key.range : undefined;
  if (!value || !key) throw editError(text, line, problem);
  return { key, value };
}
