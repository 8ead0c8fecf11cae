import { editVersionLists, type VersionListEdit } from './edit-versions.js';
import { formatIssue, VersionEditError } from './errors.js';
import { readSnapshot, replaceFile, type FileSnapshot } from './replace-file.js';
import type { ImageDefinition, VersionDefinition } from './types.js';
import { validateDefinitionFile } from './validate-file.js';
import { readYamlTree } from '../yaml/tree.js';

/** One definition's new newest version, and the version it pushes out. */
export interface NewVersion {
  definition: ImageDefinition;
  add: VersionDefinition;
  drop?: VersionDefinition;
}

export interface FileRewrite {
  file: string;
  before: string;
  after: string;
  /** The file as read, which the write replaces only if it is still the same. */
  snapshot: FileSnapshot;
}

/**
 * A definition file's text with new versions written in (and the oldest taken out) in place. The result is
 * read back and must define exactly the new versions; otherwise nothing is rewritten and the error says why.
 * `loaded` is the digest of the file as the definitions were loaded from it: a file changed since is refused.
 */
export function rewriteFile(file: string, changes: NewVersion[], loaded?: string): FileRewrite {
  const snapshot = readSnapshot(file);
  if (loaded !== undefined && snapshot.digest !== loaded) {
    throw new VersionEditError(`${file} changed since it was read (its content differs): not rewritten`);
  }
  const before = snapshot.text;
  const indexByLine = imageIndexByLine(file, before);
  const edits = byDefinition(changes).map((group): VersionListEdit => {
    const { definition } = group[0] as NewVersion;
    const image = indexByLine.get(definition.line);
    if (image === undefined) {
      throw new VersionEditError(`${file}: image "${definition.name}" changed since it was read`);
    }
    const inFileOrder = [...definition.versions].sort((a, b) => a.line - b.line);
    // A file that lists its newest version first gets the new one first too.
    const newestFirst = inFileOrder.length > 1 && inFileOrder[0] === definition.versions.at(-1);
    return {
      image,
      remove: group.flatMap((change) => (change.drop ? [inFileOrder.indexOf(change.drop)] : [])),
      insert: { entry: group.map((change) => entryOf(change.add)), at: newestFirst ? 'start' : 'end' },
    };
  });
  const after = editVersionLists(before, edits);
  checkRewrite(file, after, changes);
  return { file, before, after, snapshot };
}

/**
 * Writes the rewritten text beside the file (the file a symlink names) and renames it over it, so a reader
 * never sees half a file; keeps its mode and owner; refuses when the file changed since it was read.
 */
export function writeAtomically(rewrite: FileRewrite): void {
  replaceFile(rewrite.snapshot, rewrite.after);
}

/** The changes of each definition together (a definition with tracks gets one per track), in first-seen order. */
function byDefinition(changes: NewVersion[]): NewVersion[][] {
  const groups = new Map<number, NewVersion[]>();
  for (const change of changes)
    groups.set(change.definition.line, [...(groups.get(change.definition.line) ?? []), change]);
  return [...groups.values()];
}

export function imageIndexByLine(file: string, text: string): Map<number, number> {
  const tree = readYamlTree(text);
  const result = validateDefinitionFile(tree.value, tree.sourceMap, file);
  if (tree.errors.length > 0 || result.errors.length > 0) {
    throw new VersionEditError(`${file} changed since it was read and no longer loads`);
  }
  return new Map(result.images.map(({ index, definition }) => [definition.line, index]));
}

function entryOf(version: VersionDefinition) {
  return {
    version: version.version,
    url: version.url,
    checksum: version.checksum ? `${version.checksum.algo}:${version.checksum.hex}` : '',
    build_date: version.build_date ?? '',
  };
}

/** The rewritten text must load, and each changed definition must list the new version exactly as meant. */
function checkRewrite(file: string, text: string, changes: NewVersion[]): void {
  const tree = readYamlTree(text);
  const result = validateDefinitionFile(tree.value, tree.sourceMap, file);
  const problems = [...tree.errors.map((error) => error.message), ...result.errors.map(formatIssue)];
  for (const change of changes) {
    const def = result.images.find((image) => image.definition.name === change.definition.name)?.definition;
    const written = def?.versions.find((version) => version.version === change.add.version);
    const ofDefinition = changes.filter((other) => other.definition === change.definition);
    const length = change.definition.versions.length + ofDefinition.filter((other) => !other.drop).length;
    const same =
      written !== undefined &&
      written.url === change.add.url &&
      written.checksum?.hex === change.add.checksum?.hex &&
      written.build_date === change.add.build_date &&
      def?.versions.length === length;
    if (!same) {
      const missing = `the rewritten file does not define version ${change.add.version} as found`;
      problems.push(`image "${change.definition.name}": ${missing}`);
    }
  }
  if (problems.length > 0) throw new VersionEditError(`${file}: not rewritten: ${problems.join('; ')}`);
}
