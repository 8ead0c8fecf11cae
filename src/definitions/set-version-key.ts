import { isMap, isScalar, type YAMLMap } from 'yaml';
import { formatScalar } from './version-lists/quoting.js';
import { blockEntries, findPair, findVersionList, imageList, parseSource } from './version-lists/nodes.js';
import { applySplices, type Splice } from './version-lists/splices.js';
import { column, editedText, editError, lineEndAfter } from './version-lists/text.js';

/** A key to set in one version entry: `image` and `version` index the file's lists (file order). */
export interface VersionKeySet {
  image: number;
  version: number;
  key: 'mirror_url';
  value: string;
}

/**
 * Sets a key of version entries in place, like `editVersionLists`: an existing value is replaced where it
 * stands; a missing key is written on its own line after the entry's `url:` line, at its indentation. Every
 * other byte stays as written. Throws VersionEditError, naming the line, for shapes it does not handle.
 */
export function setVersionKeys(text: string, sets: readonly VersionKeySet[]): string {
  const src = editedText(text);
  const images = imageList(src, parseSource(text));
  const splices = sets.map((set): Splice => {
    const { list } = findVersionList(src, images, set.image);
    const entry = blockEntries(src, list)[set.version];
    if (!entry || !isMap(entry.node)) {
      throw editError(text, list.range?.[0] ?? 0, `images[${set.image}].versions[${set.version}] is not a map`);
    }
    const map = entry.node as YAMLMap;
    const value = formatScalar(set.value, 'plain');
    const present = findPair(src, map, set.key);
    if (present) {
      const range = isScalar(present.value) ? present.value.range : undefined;
      if (!range) throw editError(text, entry.lineStart, `${set.key} must be a plain value to be replaced`);
      return { start: range[0], end: range[1], text: value };
    }
    const url = findPair(src, map, 'url');
    const urlValue = url && isScalar(url.value) ? url.value.range : undefined;
    const urlKey = url && isScalar(url.key) ? url.key.range : undefined;
    if (!urlValue || !urlKey) throw editError(text, entry.lineStart, 'a version entry without a plain `url:`');
    const at = lineEndAfter(text, urlValue[1]);
    const eol = text.slice(at - 1, at) === '\n' ? '' : src.eol;
    const line = `${eol}${' '.repeat(column(text, urlKey[0]))}${set.key}: ${value}${src.eol}`;
    return { start: at, end: at, text: line };
  });
  return applySplices(text, splices);
}
