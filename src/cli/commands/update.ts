import { type Clock, systemClock } from '../../util/clock.js';
import { createTwoFilesPatch } from 'diff';
import type { Logger } from 'pino';
import { compileFilter, formatIssue, loadDefinitions, selectDefinitions } from '../../definitions/index.js';
import { rewriteFile, writeAtomically, type NewVersion } from '../../definitions/rewrite.js';
import { VersionEditError } from '../../definitions/errors.js';
import type { FetchLike } from '../../net/fetch.js';
import { COMPUTE_LIMITS, discoverUpdates, hasUpstream, type DefinitionUpdate } from '../../upstream/refresh.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { shippedImagesDir } from './selection.js';
import { logDecision } from './discovery-report.js';
import type { ProgramOptions } from '../options.js';
import { plural } from '../../util/plural.js';
import { fileErrorReason } from '../../util/fs.js';

export type UpdateOptions = Pick<ProgramOptions, 'images' | 'filter' | 'dryRun' | 'parallel' | 'timeout'>;

/** What `update` did: per definition asked what its upstream offers, and per file what was written. */
export interface UpdateResult {
  dryRun: boolean;
  updates: DefinitionUpdate[];
  files: FileOutcome[];
}

export interface FileOutcome {
  file: string;
  changed: boolean;
  error?: string;
  diff?: string;
}

/**
 * `image-manager update`: finds each definition's newest upstream build and writes it into its file as the
 * newest version. Every selected definition is asked, `enable: false` ones too (as OIM's update.py does).
 */
export async function update(
  options: UpdateOptions,
  fetch: FetchLike,
  log: Logger,
  clock: Clock = systemClock,
): Promise<UpdateResult> {
  if (options.filter !== undefined) compileFilter(options.filter);
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings, digests } = loadDefinitions(source);
  for (const warning of warnings) log.warn(formatIssue(warning));
  const selected = selectDefinitions(definitions, { filter: options.filter, force: true });
  const asked = selected.filter(hasUpstream);
  log.info(
    `Loaded ${plural(definitions.length, 'image definition')} from ${source}; ` +
      `${asked.length} of ${selected.length} selected name their upstream (latest_url)`,
  );

  const { parallel, timeout } = options;
  const discovery = { fetch, parallel, timeoutMs: timeout * 1000, clock, computeChecksums: COMPUTE_LIMITS };
  const updates = await discoverUpdates(asked, discovery);
  for (const entry of updates) logDecision(entry, log);
  return { dryRun: options.dryRun, updates, files: rewriteFiles(updates, digests, options.dryRun, log) };
}

export function updateExitCode({ updates, files }: UpdateResult): number {
  const failed = updates.filter((entry) => entry.error).length + files.filter((file) => file.error).length;
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/**
 * Each file with a new version is rewritten on its own: a file that cannot be (it changed since it was read, it
 * is gone, a write fails) is reported with the reason, and the others are still written.
 */
function rewriteFiles(
  updates: DefinitionUpdate[],
  digests: Map<string, string>,
  dryRun: boolean,
  log: Logger,
): FileOutcome[] {
  const failedIn = new Set(updates.filter((entry) => entry.error).map((entry) => entry.definition.file));
  return [...changesByFile(updates)].map(([file, changes]) => {
    if (failedIn.has(file)) {
      const error =
        `not written: another image of ${file} failed upstream, ` +
        'and a file is changed only when all its images answered';
      log.error(error);
      return { file, changed: false, error };
    }
    try {
      return rewriteOne(file, changes, digests.get(file), dryRun, log);
    } catch (error) {
      const message = notWritten(file, error);
      log.error(message);
      return { file, changed: false, error: message };
    }
  });
}

function changesByFile(updates: DefinitionUpdate[]): Map<string, NewVersion[]> {
  const byFile = new Map<string, NewVersion[]>();
  for (const entry of updates) {
    if (entry.decision?.kind !== 'new') continue;
    const { definition } = entry;
    const { version, drop } = entry.decision;
    const change: NewVersion = { definition, add: version, ...(drop ? { drop } : {}) };
    byFile.set(definition.file, [...(byFile.get(definition.file) ?? []), change]);
  }
  return byFile;
}

function rewriteOne(
  file: string,
  changes: NewVersion[],
  loaded: string | undefined,
  dryRun: boolean,
  log: Logger,
): FileOutcome {
  const rewrite = rewriteFile(file, changes, loaded);
  const diff = createTwoFilesPatch(file, file, rewrite.before, rewrite.after, undefined, undefined, { context: 3 });
  if (dryRun) {
    log.info(`Dry run: ${file} not written`);
    return { file, changed: false, diff };
  }
  writeAtomically(rewrite);
  log.info(`Wrote ${file}`);
  return { file, changed: true, diff };
}

/** A file's failure in words, naming it; an error that is neither the editor's nor the system's is a bug. */
function notWritten(file: string, error: unknown): string {
  if (error instanceof VersionEditError) return error.message;
  const reason = fileErrorReason(error, file);
  if (reason === undefined) throw error;
  return `${file}: not written: ${reason}`;
}
