import type { Logger } from 'pino';
import { VersionEditError } from '../../definitions/errors.js';
import { type MirrorUrlSet, rewriteMirrorUrls } from '../../definitions/mirror-urls.js';
import { writeAtomically } from '../../definitions/rewrite.js';
import type { ImageDefinition, VersionDefinition } from '../../definitions/types.js';
import type { MirrorOutcome } from '../../mirror/copy.js';
import { fileErrorReason } from '../../util/fs.js';

/** What --write-mirror-url did to a file. */
export interface MirrorUrlFile {
  file: string;
  changed: boolean;
  error?: string;
}

const IN_STORE = new Set<MirrorOutcome['action']>(['copied', 'recopied', 'present']);

/**
 * `--write-mirror-url`: each version whose object is in the store gets its `mirror_url`, and of a packed source the
 * `mirror_checksum` of the image the object holds, where they differ, with the editor `update` uses; a file that
 * cannot be written is reported with the reason, the others still are.
 */
export function writeMirrorUrls(
  definitions: readonly ImageDefinition[],
  outcomes: readonly MirrorOutcome[],
  digests: Map<string, string>,
  log: Logger,
): MirrorUrlFile[] {
  const byFile = new Map<string, MirrorUrlSet[]>();
  for (const outcome of outcomes) {
    if (!IN_STORE.has(outcome.action)) continue;
    const definition = definitions.find((def) => def.name === outcome.definition);
    const version = definition?.versions.find((v) => v.version === outcome.version);
    if (!definition || !version || !differs(version, outcome)) continue;
    const { mirrorUrl, mirrorChecksum } = outcome;
    const set = { definition, version, mirrorUrl, ...(mirrorChecksum !== undefined && { mirrorChecksum }) };
    byFile.set(definition.file, [...(byFile.get(definition.file) ?? []), set]);
  }
  return [...byFile].map(([file, sets]) => {
    try {
      writeAtomically(rewriteMirrorUrls(file, sets, digests.get(file)));
      log.info(`Wrote the mirror_url (and mirror_checksum) of ${sets.length} version(s) into ${file}`);
      return { file, changed: true };
    } catch (error) {
      const reason = error instanceof VersionEditError ? error.message : fileErrorReason(error, file);
      if (reason === undefined) throw error;
      log.error(reason);
      return { file, changed: false, error: reason };
    }
  });
}

function differs(version: VersionDefinition, outcome: MirrorOutcome): boolean {
  if (version.mirror_url !== outcome.mirrorUrl) return true;
  const held = version.mirror_checksum;
  return outcome.mirrorChecksum !== undefined && `${held?.algo}:${held?.hex.toLowerCase()}` !== outcome.mirrorChecksum;
}
