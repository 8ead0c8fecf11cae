import type { Logger } from 'pino';
import type { ImageDefinition } from '../../definitions/types.js';
import { maskUserinfo } from '../../net/redact.js';
import { replacementDue } from '../../scs/recency.js';
import { subjectOfDefinition } from '../../scs/subjects.js';
import type { RunDefinitions } from '../../upstream/for-run.js';
import { formatChecksum } from '../../upstream/next-version.js';
import { hasUpstream, type DefinitionUpdate } from '../../upstream/refresh.js';
import { trackedName } from '../../upstream/tracks.js';

/** What --update found and what failed upstream, as log lines. */
export function reportDiscovery(run: RunDefinitions, log: Logger): void {
  for (const entry of run.discovered) logDecision(entry, log);
  const logged = new Set(run.discovered.map((entry) => `${entry.definition.name}\n${entry.error}`));
  for (const failure of run.failures) {
    if (!logged.has(`${failure.definition}\n${failure.message}`)) {
      log.error(`[${failure.definition}] upstream failed: ${failure.message}`);
    }
  }
}

/** Said of a new build whose upstream publishes no checksum, as `update` computed it. */
export const COMPUTED = 'upstream publishes no checksum of it: this tool computed its sha256 from the artifact';
const UNPUBLISHED =
  'upstream publishes no checksum of it: planned without one (`image-manager update` computes one and writes it)';

/** What discovery found for a definition as a log line (update and --update alike), after its warning if any. */
export function logDecision(entry: DefinitionUpdate, log: Logger): void {
  const { decision, definition } = entry;
  const name = trackedName(definition.name, entry.track);
  if (entry.warning) log.warn(`[${name}] ${entry.warning}`);
  if (entry.error) {
    log.error(`[${name}] upstream failed: ${entry.error}`);
  } else if (decision?.kind === 'new') {
    const dropped = decision.drop ? `; ${decision.drop.version} drops out` : '';
    log.info(`[${name}] found build ${decision.version.version}: ${maskUserinfo(decision.version.url)}${dropped}`);
    if (entry.checksumComputed) log.info(`[${name}] ${COMPUTED}`);
    else if (!decision.version.checksum) log.warn(`[${name}] ${UNPUBLISHED}`);
  } else if (decision?.kind === 'current') {
    log.info(`[${name}] up to date: the newest upstream build is version ${decision.version}`);
  } else if (decision?.kind === 'older') {
    log.warn(`[${name}] upstream's newest build (${decision.offered}) is older than ${decision.newest}: not taken`);
  }
}

/** The `upstream` part of a run's JSON document: per definition asked, what was found. */
export interface DiscoveryOutput {
  upstream?: unknown[];
}

export function discoveryOutput(run: RunDefinitions): DiscoveryOutput {
  if (run.discovered.length === 0 && run.failures.length === 0) return {};
  const found = run.discovered.map((entry) => ({
    definition: entry.definition.name,
    ...(entry.track !== undefined && { track: entry.track }),
    status: entry.error ? 'failed' : (entry.decision?.kind ?? 'failed'),
    ...(entry.offered ? offeredOutput(entry.offered) : {}),
    ...(entry.decision?.kind === 'new' ? { version: entry.decision.version.version } : {}),
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.warning ? { warning: entry.warning } : {}),
  }));
  const asked = new Set(found.map((entry) => entry.definition));
  const others = run.failures
    .filter((failure) => !asked.has(failure.definition))
    .map((failure) => ({ definition: failure.definition, status: 'failed', error: failure.message }));
  return { upstream: [...found, ...others] };
}

function offeredOutput(offered: NonNullable<DefinitionUpdate['offered']>) {
  const checksum = offered.checksum ? formatChecksum(offered.checksum) : null;
  return { url: maskUserinfo(offered.url), checksum, date: offered.date ?? null };
}

/**
 * Warns, before anything changes, about definitions whose newest build is past scs-0102's replacement date
 * (build date + 1.1 × replace_frequency): a cloud filled from them fails the SCS recency test.
 */
export function warnStale(definitions: ImageDefinition[], log: Logger, now = Date.now()): void {
  for (const def of definitions) {
    const newest = def.versions.at(-1);
    if (!newest) continue;
    const replacement = replacementDue(subjectOfDefinition(def, newest));
    if (!replacement.due || now <= replacement.at) continue;
    const remedy = hasUpstream(def) ? 'run "image-manager update" (or add --update)' : 'define a newer version';
    const stale = `version ${newest.version} is stale by scs-0102's recency rule (${replacement.age})`;
    log.warn(`[${def.name}] ${stale}: ${remedy}`);
  }
}
