import type { ImageStatus } from '../../openstack/image.js';
import { packingOf } from '../../sources/packing.js';
import { glanceDirect } from './glance-direct.js';
import type { ImportStrategy } from './strategy.js';
import { webDownload } from './web-download.js';

/**
 * The import methods this tool knows, in order of preference: the first that Glance offers and that fits the
 * source is tried first. A new method is a file of its own (an ImportStrategy) and a row here.
 */
const IMPORT_METHODS: readonly ImportStrategy[] = [webDownload, glanceDirect];

/** --prefetch: when the data is streamed through this tool rather than fetched by Glance. */
export type Prefetch = 'never' | 'on-stuck' | 'always';

/** How the last attempt at an image ended. */
export interface PreviousAttempt {
  /** The method it was made by; undefined: an import an earlier run started, which this run only waited for. */
  method?: string;
  ended: 'failed' | 'stuck' | 'timeout';
  /** Attempts by that method so far, one after the other. */
  attempts: number;
}

export interface MethodInputs {
  /** The source: a `file:` URL only this tool can read, a packed one (`.xz`, `.tar.gz`) only it can unpack. */
  url: string;
  prefetch: Prefetch;
  /** --verify-checksum: the data goes through this tool, which hashes it on the way. */
  verifyChecksum: boolean;
  /** The methods Glance offers (GET /v2/info/import). */
  offered: readonly string[];
  /** Further attempts a retried method gets (--stuck-retry). */
  stuckRetry: number;
  previous?: PreviousAttempt;
}

/** The method of the next attempt, and why: the first choice, the same method again, or the fallback. */
export interface Choice {
  method: ImportStrategy;
  as: 'first' | 'retry' | 'fallback';
}

/**
 * The method of the next attempt at importing an image, or undefined when there is none: Glance offers no
 * method that fits, or the last attempt timed out, or it failed and neither a retry nor a fallback is left.
 */
export function chooseMethod(inputs: MethodInputs): Choice | undefined {
  const { previous } = inputs;
  if (!previous) return firstChoice(inputs);
  if (previous.ended === 'timeout') return undefined;
  const last = IMPORT_METHODS.find((method) => method.name === previous.method);
  if (!last) return firstChoice(inputs);
  if (last.retried && previous.attempts <= inputs.stuckRetry) return { method: last, as: 'retry' };
  if (inputs.prefetch !== 'on-stuck' || last.throughThisTool) return undefined;
  const streamed = offered(inputs).find((method) => method.throughThisTool);
  return streamed && { method: streamed, as: 'fallback' };
}

function firstChoice(inputs: MethodInputs): Choice | undefined {
  const throughThisTool = onlyThisTool(inputs.url) || inputs.prefetch === 'always' || inputs.verifyChecksum;
  const method = offered(inputs).find((candidate) => candidate.throughThisTool || !throughThisTool);
  return method && { method, as: 'first' };
}

function offered(inputs: MethodInputs): ImportStrategy[] {
  return IMPORT_METHODS.filter((method) => inputs.offered.includes(method.name));
}

/** A source Glance cannot import by itself: a local file, or a packed image Glance would store packed. */
function onlyThisTool(url: string): boolean {
  return url.startsWith('file:') || packingOf(url) !== undefined;
}

/** Why a packed source goes through this tool whatever --prefetch says, for the log; undefined for others. */
export function streamedBecause({ url, prefetch }: Pick<MethodInputs, 'url' | 'prefetch'>): string | undefined {
  const packing = packingOf(url);
  if (!packing) return undefined;
  const despite = prefetch === 'never' ? ', whatever --prefetch never says' : '';
  const how = 'so this tool streams the image inside it into Glance (glance-direct)';
  return `${url} is a ${packing.suffix}: Glance cannot unpack it, ${how}${despite}`;
}

/** Why no method fits a source from the start. */
export function noMethodOffered(url: string): string {
  const packing = packingOf(url);
  if (packing)
    return `Glance does not offer glance-direct, which a ${packing.suffix} source needs (Glance cannot unpack it)`;
  return `Glance offers neither ${IMPORT_METHODS.map((method) => method.name).join(' nor ')}`;
}

/** Whether an image in this status may be one whose import failed: some method leaves a failed import so. */
export function failedImportsRestIn(status: ImageStatus): boolean {
  return IMPORT_METHODS.some((method) => method.failedStatus === status);
}
