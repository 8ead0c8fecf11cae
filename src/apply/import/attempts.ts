import {
  type Choice,
  chooseMethod,
  type MethodInputs,
  noMethodOffered,
  type PreviousAttempt,
  streamedBecause,
} from './choose.js';
import { type ImportContext, type Job, report, watchJob } from './job.js';
import type { ImportStrategy } from './strategy.js';
import { ImportFailure, type ImportOutcome } from './outcome.js';
import { verifiedActive } from './verify.js';

/** How an attempt that did not bring the image to active ended. */
type Unfinished = Pick<PreviousAttempt, 'ended'> & { reason: string };
type Previous = PreviousAttempt & { reason: string };

/**
 * Brings the job's image to active: attempt after attempt, each by the method `chooseMethod` picks from how
 * the last one ended, until one succeeds or none is left. `alreadyRunning`: an import an earlier run started
 * is waited for first; an image already active (an earlier run's, not verified) is only verified.
 */
export async function bringToActive(context: ImportContext, job: Job, alreadyRunning: boolean): Promise<ImportOutcome> {
  const { settings } = context;
  // Imported by a run that did not wait (--no-wait): verified now, before anything publishes it.
  if (job.image.status === 'active') return verifiedActive(context, job, job.image);
  const inputs: MethodInputs = {
    url: job.source.url,
    prefetch: settings.prefetch,
    verifyChecksum: settings.verifyChecksum ?? false,
    offered: settings.methods,
    stuckRetry: settings.stuckRetry,
  };
  const because = streamedBecause(inputs);
  if (because) context.log.info(because);
  let previous: Previous | undefined;
  if (alreadyRunning) {
    const earlier = await waitForEarlierRun(context, job, chooseMethod(inputs)?.method);
    if (!('ended' in earlier)) return earlier;
    previous = earlier;
  }
  for (;;) {
    const choice = chooseMethod({ ...inputs, ...(previous ? { previous } : {}) });
    if (!choice) throw noAttemptLeft(job, previous);
    if (previous) logChoice(context, job, choice, previous);
    const ended = await attempt(context, job, choice.method, previous !== undefined);
    if (!('ended' in ended)) return ended;
    const attempts = previous?.method === choice.method.name ? previous.attempts + 1 : 1;
    previous = { ...ended, method: choice.method.name, attempts };
  }
}

/** One attempt by the method: started, then watched until the image is active or the attempt has ended. */
async function attempt(
  context: ImportContext,
  job: Job,
  method: ImportStrategy,
  again: boolean,
): Promise<ImportOutcome | Unfinished> {
  const { log, settings } = context;
  const started = await method.start(context, job, again);
  if (started.state === 'active') return verifiedActive(context, job, started.image);
  if (!settings.wait) {
    started.read?.cancel();
    return { state: 'started', image: job.image };
  }
  report(job, method.working.phase, method.working.detail);
  const result = await watchJob(context, job);
  if (result.state === 'active') return verifiedActive(context, job, result.image, started.read);
  log.warn(`${capitalized(method.name)} import of ${job.image.name} did not finish: ${result.reason}`);
  return { ended: result.state, reason: result.reason };
}

/**
 * Waits for an import an earlier run started rather than start one into an image that is not queued. For a
 * method that is retried it counts as the method's first attempt; a method tried once makes its attempt after.
 */
async function waitForEarlierRun(
  context: ImportContext,
  job: Job,
  first: ImportStrategy | undefined,
): Promise<ImportOutcome | Previous> {
  const counted = first?.retried ? first : undefined;
  if (counted) report(job, counted.working.phase, counted.working.detail);
  else report(job, 'waiting', 'for the import an earlier run started');
  const result = await watchJob(context, job);
  if (result.state === 'active') return verifiedActive(context, job, result.image);
  const by = counted ? `${capitalized(counted.name)} import` : 'Import';
  context.log.warn(`${by} of ${job.image.name} did not finish: ${result.reason}`);
  return { ended: result.state, reason: result.reason, attempts: 1, ...(counted ? { method: counted.name } : {}) };
}

/** The failure once no attempt is left: why the last ended, or that no method fits when this run made none. */
function noAttemptLeft(job: Job, previous: Previous | undefined): ImportFailure {
  const name = job.image.name;
  if (previous && (previous.method !== undefined || previous.ended === 'timeout'))
    return new ImportFailure(`import of ${name} failed: ${previous.reason}`);
  return new ImportFailure(`${noMethodOffered(job.source.url)} for ${name}`);
}

function logChoice(context: ImportContext, job: Job, { method, as }: Choice, previous: PreviousAttempt): void {
  const { log, settings } = context;
  if (as === 'retry') log.info(`Retry attempt ${previous.attempts}/${settings.stuckRetry} for image ${job.image.name}`);
  if (as === 'fallback') log.warn(`Falling back to ${method.describe(job.source.url)} for ${job.image.name}`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
