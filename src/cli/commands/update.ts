import { createTwoFilesPatch } from 'diff';
import type { Logger } from 'pino';
import { compileFilter, formatIssue, loadDefinitions, selectDefinitions } from '../../definitions/index.js';
import { rewriteFile, writeAtomically, type FileRewrite, type NewVersion } from '../../definitions/rewrite.js';
import { VersionEditError } from '../../definitions/errors.js';
import type { ImageDefinition, VersionDefinition } from '../../definitions/types.js';
import type { FetchLike } from '../../net/fetch.js';
import { formatChecksum } from '../../upstream/next-version.js';
import { discoverUpdates, hasUpstream, type DefinitionUpdate } from '../../upstream/refresh.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { shippedImagesDir } from './selection.js';
import { logDecision } from './discovery-report.js';
import { jsonText, safeLines, safeText } from '../safe-text.js';
import type { ProgramOptions } from '../options.js';
import { plural } from '../../util/plural.js';

export type UpdateOptions = Pick<ProgramOptions, 'images' | 'filter' | 'dryRun' | 'output' | 'parallel' | 'timeout'>;

interface FileOutcome {
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
  stdout: NodeJS.WritableStream,
): Promise<number> {
  if (options.filter !== undefined) compileFilter(options.filter);
  const source = options.images ?? shippedImagesDir();
  const { definitions, warnings } = loadDefinitions(source);
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
  const files = rewriteFiles(updates, options.dryRun, log);

  if (options.output === 'json') {
    const definitions = updates.map((entry) => describe(entry, files));
    stdout.write(`${jsonText({ dryRun: options.dryRun, definitions, files })}\n`);
  } else if (options.dryRun) {
    stdout.write(safeLines(files.map((file) => file.diff ?? '').join('')));
  } else {
    const lines = updates.map((entry) => safeText(summaryLine(entry, files)));
    stdout.write(`${lines.join('\n')}${updates.length > 0 ? '\n' : ''}`);
  }
  const failed = updates.filter((entry) => entry.error).length + files.filter((file) => file.error).length;
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

function rewriteFiles(updates: DefinitionUpdate[], dryRun: boolean, log: Logger): FileOutcome[] {
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
      rewrite = rewriteFile(file, changes);
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
    writeAtomically(file, rewrite.after);
    log.info(`Wrote ${file}`);
    return { file, changed: true, diff };
  });
}

function summaryLine(entry: DefinitionUpdate, files: FileOutcome[]): string {
  const name = entry.definition.name;
  const decision = entry.decision;
  if (entry.error) return `${name}: failed: ${entry.error}`;
  if (decision?.kind === 'current') return `${name}: up to date (${decision.version})`;
  if (decision?.kind === 'older') {
    return `${name}: upstream offers ${decision.offered}, older than ${decision.newest}: not taken`;
  }
  if (decision?.kind !== 'new') return `${name}: nothing found`;
  const file = files.find((outcome) => outcome.file === entry.definition.file);
  const from = entry.definition.versions.at(-1)?.version ?? 'none';
  const found = decision.version.version;
  return file?.error ? `${name}: ${found} found, file not written: ${file.error}` : `${name}: ${from} -> ${found}`;
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
    layout: entry.layout,
    current: newestOf(def),
    upstream: entry.offered
      ? {
          version: offeredVersion,
          url: entry.offered.url,
          checksum: formatChecksum(entry.offered.checksum),
          date: entry.offered.date ?? null,
        }
      : null,
    status,
    changed: decision?.kind === 'new' && file?.changed === true,
    requests: entry.requests,
    ...(entry.error ? { error: entry.error } : file?.error ? { error: file.error } : {}),
  };
}

function newestOf(def: ImageDefinition): Record<string, string | null> | null {
  const newest: VersionDefinition | undefined = def.versions.at(-1);
  if (!newest) return null;
  return {
    version: newest.version,
    url: newest.url,
    checksum: newest.checksum ? formatChecksum(newest.checksum) : null,
    build_date: newest.build_date ?? null,
  };
}
