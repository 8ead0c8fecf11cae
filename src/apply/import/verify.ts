import { SourceFormatError } from '../../sources/format.js';
import { SourceUnpackError } from '../../sources/unpack.js';
import type { HashPlan, SourceDigests } from '../../sources/read-through.js';
import type { GlanceImage } from '../../openstack/image.js';
import { expectedOf, GLANCE_HASH_ALGO, hashPlanFor, verdict } from './checksum.js';
import { declaredFormat, type ImportContext, type Job, readUrlOf, report } from './job.js';
import { ImportFailure, type ImportOutcome, messageOf } from './outcome.js';

/** The tool's own read of an image's source: settles with the digests or the error, never rejects. */
export interface SourceRead {
  done: Promise<SourceDigests | Error>;
  /** Stops the read (the attempt it belongs to ended without the image). */
  cancel(): void;
  /** Its bytes are the ones this run sent Glance (glance-direct), not a read beside Glance's own copy. */
  sent?: true;
}

/** What a read hashes with: the definition's algorithm and the one Glance stores. */
export function readHashes(context: ImportContext, job: Job): HashPlan {
  return hashPlanFor(expectedOf(job.source), context.settings.glanceHashAlgo ?? GLANCE_HASH_ALGO);
}

/**
 * Reads the job's source once, as Glance fetches it (web-download): checked against the declared format
 * first, then hashed to its end, flat in memory and bounded by the source timeout as a stall.
 */
export function readSource(context: ImportContext, job: Job): SourceRead {
  const controller = new AbortController();
  const format = declaredFormat(job);
  const done = context.sources
    .digest(readUrlOf(job.source), {
      hash: readHashes(context, job),
      signal: controller.signal,
      ...(format ? { format } : {}),
    })
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return { done, cancel: () => controller.abort() };
}

/** A read made already: the bytes glance-direct streamed into Glance. */
export function readDone(digests: SourceDigests): SourceRead {
  return { done: Promise.resolve(digests), cancel: () => {}, sent: true };
}

/**
 * The outcome of an image that is active, checked before anything publishes it: the tool's read of its source
 * (the one given, made while Glance imported; else one now) against the declared format, the definition's
 * checksum and Glance's stored hash (checksum.ts). A refused format or a mismatch fails the import: the image,
 * still private, is deleted by the importer.
 */
export async function verifiedActive(
  context: ImportContext,
  job: Job,
  image: GlanceImage,
  read?: SourceRead,
): Promise<ImportOutcome> {
  report(job, 'verifying');
  const digests = await digestsOf(context, job, read);
  const expected = expectedOf(job.source);
  const verification = verdict(image, job.desired.disk_format, expected, digests, read?.sent === true);
  const name = image.name ?? image.id;
  if (verification.state === 'verified') context.log.info(`Verified ${name}: ${verification.detail}`);
  else context.log.warn(`${name} ${verification.state.replace('-', ' ')}: ${verification.detail}`);
  return { state: 'active', image, verification };
}

/** The digests of the source; a read that failed (not for its format) is made once more. */
async function digestsOf(context: ImportContext, job: Job, read: SourceRead | undefined): Promise<SourceDigests> {
  const { url } = job.source;
  const name = job.image.name ?? job.image.id;
  let result = await (read ?? readSource(context, job)).done;
  if (
    result instanceof Error &&
    !(result instanceof SourceFormatError || result instanceof SourceUnpackError) &&
    read
  ) {
    context.log.warn(`Reading ${url} to verify ${name} failed (${messageOf(result)}); reading it once more`);
    result = await readSource(context, job).done;
  }
  if (result instanceof SourceFormatError || result instanceof SourceUnpackError) throw refusedFormat(result, name);
  if (result instanceof Error) {
    throw new ImportFailure(`could not read ${url} to verify ${name}: ${messageOf(result)}; not published`);
  }
  return result;
}

/**
 * A source the format inspector refused (SourceFormatError), or a packed one that could not be unpacked
 * (SourceUnpackError), as the import's failure; other errors as they are.
 */
export function refusedFormat(error: unknown, name: string): unknown {
  const refused = error instanceof SourceFormatError || error instanceof SourceUnpackError;
  return refused ? new ImportFailure(`${error.message}; ${name} not published`) : error;
}
