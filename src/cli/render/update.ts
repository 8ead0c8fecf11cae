import type { VersionDefinition } from '../../definitions/types.js';
import { heldVersions, trackedName } from '../../upstream/tracks.js';
import { formatChecksum } from '../../upstream/next-version.js';
import type { DefinitionUpdate } from '../../upstream/refresh.js';
import type { FileOutcome, UpdateResult } from '../commands/update.js';
import { COMPUTED } from '../commands/discovery-report.js';
import { safeLines, safeText } from '../safe-text.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What `update` prints: the diffs of a dry run, else a line a definition; or the document. */
export function renderUpdate(result: UpdateResult, format: Format): string {
  return render(format, { json: () => jsonDocumentText(updateDocument(result)), text: () => updateText(result) });
}

function updateDocument({ dryRun, updates, files }: UpdateResult) {
  return { dryRun, definitions: updates.map((entry) => describe(entry, files)), files };
}

function updateText({ dryRun, updates, files }: UpdateResult): string {
  if (dryRun) return safeLines(files.map((file) => file.diff ?? '').join(''));
  const lines = updates.flatMap((entry) => [
    ...(entry.warning ? [safeText(`${entry.definition.name}: warning: ${entry.warning}`)] : []),
    safeText(summaryLine(entry, files)),
  ]);
  return `${lines.join('\n')}${updates.length > 0 ? '\n' : ''}`;
}

function summaryLine(entry: DefinitionUpdate, files: FileOutcome[]): string {
  const name = trackedName(entry.definition.name, entry.track);
  const decision = entry.decision;
  if (entry.error) return `${name}: failed: ${entry.error}`;
  if (decision?.kind === 'current') return `${name}: up to date (${decision.version})`;
  if (decision?.kind === 'older') {
    return `${name}: upstream offers ${decision.offered}, older than ${decision.newest}: not taken`;
  }
  if (decision?.kind !== 'new') return `${name}: nothing found`;
  const file = files.find((outcome) => outcome.file === entry.definition.file);
  const from = heldVersions(entry.definition, entry.track).at(-1)?.version ?? 'none';
  const found = decision.version.version;
  if (file?.error) return `${name}: ${found} found: ${file.error}`;
  return `${name}: ${from} -> ${found}${entry.checksumComputed ? ` (${COMPUTED})` : ''}`;
}

function describe(entry: DefinitionUpdate, files: FileOutcome[]) {
  const def = entry.definition;
  const file = files.find((outcome) => outcome.file === def.file);
  const decision = entry.decision;
  const status = entry.error ? 'failed' : (decision?.kind ?? 'failed');
  const offeredVersion =
    decision?.kind === 'new' ? decision.version.version : decision?.kind === 'current' ? decision.version : null;
  return {
    name: def.name,
    file: def.file,
    layout: entry.layout ?? null,
    ...(entry.track !== undefined && { track: entry.track }),
    current: newestOf(heldVersions(def, entry.track)),
    upstream: entry.offered
      ? {
          version: offeredVersion,
          url: entry.offered.url,
          checksum: entry.offered.checksum ? formatChecksum(entry.offered.checksum) : null,
          checksumComputed: entry.checksumComputed === true,
          date: entry.offered.date ?? null,
        }
      : null,
    status,
    changed: decision?.kind === 'new' && file?.changed === true,
    requests: entry.requests,
    ...(entry.error ? { error: entry.error } : file?.error ? { error: file.error } : {}),
    ...(entry.warning ? { warning: entry.warning } : {}),
  };
}

function newestOf(versions: VersionDefinition[]): Record<string, string | null> | null {
  const newest: VersionDefinition | undefined = versions.at(-1);
  if (!newest) return null;
  return {
    version: newest.version,
    url: newest.url,
    checksum: newest.checksum ? formatChecksum(newest.checksum) : null,
    build_date: newest.build_date ?? null,
  };
}
