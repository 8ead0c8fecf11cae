import { createTwoFilesPatch } from 'diff';
import type { Logger } from 'pino';
import { compileFilter, formatIssue, loadDefinitions, selectDefinitions } from '../../definitions/index.js';
import { rewriteFile, writeAtomically, type FileRewrite, type NewVersion } from '../../definitions/rewrite.js';
import { VersionEditError } from '../../definitions/errors.js';
import type { FetchLike } from '../../net/fetch.js';
import { discoverUpdates, hasUpstream, type DefinitionUpdate } from '../../upstream/refresh.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { shippedImagesDir } from './selection.js';
import { logDecision } from './discovery-report.js';
import type { ProgramOptions } from '../options.js';
import { plural } from '../../util/plural.js';

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
export async function update(options: UpdateOptions, fetch: FetchLike, log: Logger): Promise<UpdateResult> {
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
  const updates = await discoverUpdates(asked, { fetch, parallel, timeoutMs: timeout * 1000 });
  for (const entry of updates) logDecision(entry, log);
  return { dryRun: options.dryRun, updates, files: rewriteFiles(updates, digests, options.dryRun, log) };
}

export function updateExitCode({ updates, files }: UpdateResult): number {
  const failed = updates.filter((entry) => entry.error).length + files.filter((file) => file.error).length;
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

function rewriteFiles(
  updates: DefinitionUpdate[],
  digests: Map<string, string>,
  dryRun: boolean,
  log: Logger,
): FileOutcome[] {
  const byFile = new Map<string, NewVersion[]>();
  for (const entry of updates) {
    if (entry.decision?.kind !== 'new') continue;
    const { definition } = entry;
    const { version, drop } = entry.decision;
    const change: NewVersion = { definition, add: version, ...(drop ? { drop } : {}) };
    byFile.set(definition.file, [...(byFile.get(definition.file) ?? []), change]);
  }
  const failedIn = new Set(updates.filter((entry) => entry.error).map((entry) => entry.definition.file));
  return [...byFile].map(([file, changes]) => {
    if (failedIn.has(file)) {
      const error =
        `not written: another image of ${file} failed upstream, ` +
        'and a file is changed only when all its images answered';
      log.error(error);
      return { file, changed: false, error };
    }
    let rewrite: FileRewrite;
    try {
      rewrite = rewriteFile(file, changes, digests.get(file));
    } catch (error) {
      if (!(error instanceof VersionEditError)) throw error;
      log.error(error.message);
      return { file, changed: false, error: error.message };
    }
    const diff = createTwoFilesPatch(file, file, rewrite.before, rewrite.after, undefined, undefined, { context: 3 });
    if (dryRun) {
      log.info(`Dry run: ${file} not written`);
      return { file, changed: false, diff };
    }
    writeAtomically(rewrite);
    log.info(`Wrote ${file}`);
    return { file, changed: true, diff };
  });
}
