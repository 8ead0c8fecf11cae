import { formatIssue, VersionEditError } from './errors.js';
import { imageIndexByLine, type FileRewrite } from './rewrite.js';
import { readSnapshot } from './replace-file.js';
import { setVersionKeys, type VersionKey } from './set-version-key.js';
import type { ImageDefinition, VersionDefinition } from './types.js';
import { validateDefinitionFile } from './validate-file.js';
import { readYamlTree } from '../yaml/tree.js';

/** A version's new `mirror_url`, and its `mirror_checksum` (`sha256:<hex>`) when the mirror holds it unpacked. */
export interface MirrorUrlSet {
  definition: ImageDefinition;
  version: VersionDefinition;
  mirrorUrl: string;
  mirrorChecksum?: string;
}

/**
 * A definition file with `mirror_url` (and `mirror_checksum`) set in the given versions, in place (see
 * `setVersionKeys`). The result must load and define the same versions with exactly these values, or nothing is
 * written. `loaded`: the digest of the file as the definitions were read; a file changed since is refused.
 */
export function rewriteMirrorUrls(file: string, sets: readonly MirrorUrlSet[], loaded?: string): FileRewrite {
  const snapshot = readSnapshot(file);
  if (loaded !== undefined && snapshot.digest !== loaded) {
    throw new VersionEditError(`${file} changed since it was read (its content differs): not rewritten`);
  }
  const before = snapshot.text;
  const indexByLine = imageIndexByLine(file, before);
  const keySets = sets.map((set) => {
    const image = indexByLine.get(set.definition.line);
    if (image === undefined)
      throw new VersionEditError(`${file}: image "${set.definition.name}" changed since it was read`);
    const inFileOrder = [...set.definition.versions].sort((a, b) => a.line - b.line);
    const values: [VersionKey, string][] = [['mirror_url', set.mirrorUrl]];
    if (set.mirrorChecksum !== undefined) values.push(['mirror_checksum', set.mirrorChecksum]);
    return { image, version: inFileOrder.indexOf(set.version), values };
  });
  const after = setVersionKeys(before, keySets);
  checkMirrorUrls(file, after, sets);
  return { file, before, after, snapshot };
}

function checkMirrorUrls(file: string, text: string, sets: readonly MirrorUrlSet[]): void {
  const tree = readYamlTree(text);
  const result = validateDefinitionFile(tree.value, tree.sourceMap, file);
  const problems = [...tree.errors.map((error) => error.message), ...result.errors.map(formatIssue)];
  for (const set of sets) {
    const def = result.images.find((image) => image.definition.name === set.definition.name)?.definition;
    const written = def?.versions.find((version) => version.version === set.version.version);
    const checksum = written?.mirror_checksum;
    const same =
      written?.mirror_url === set.mirrorUrl &&
      (set.mirrorChecksum === undefined || `${checksum?.algo}:${checksum?.hex}` === set.mirrorChecksum) &&
      written.url === set.version.url &&
      def?.versions.length === set.definition.versions.length;
    if (!same) problems.push(`image "${set.definition.name}" ${set.version.version}: mirror_url not written as meant`);
  }
  if (problems.length > 0) throw new VersionEditError(`${file}: not rewritten: ${problems.join('; ')}`);
}
