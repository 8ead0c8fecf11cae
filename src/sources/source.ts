import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import type { FetchInit, FetchLike, FetchResponse } from '../net/fetch.js';
import { webStreamOf } from './web-stream.js';
import { maskUserinfo } from '../net/redact.js';
import { fetchFailure } from '../net/fetch-failure.js';
import { type Clock, systemClock } from '../util/clock.js';
import { formatMismatch, SNIFF_BYTES, SourceFormatError } from './format.js';
import { packingOf, type Packing } from './packing.js';
import { digesting, hashToEnd, type HashPlan, type SourceDigests } from './read-through.js';
import { DEFAULT_MAX_UNPACKED_BYTES, unpacked } from './unpack.js';
import { checkLocalFile, isFileUrl, LocalFileError } from './local-file.js';

export { SourceFormatError } from './format.js';

/** How much of a local file one read takes: fewer, larger pieces cost less on the way to the socket. */
const FILE_CHUNK = 2 ** 20;

/** Where an image's bytes come from: an http(s) URL Glance can fetch itself, or a file on this machine. */
export interface SourceProbe {
  ok: boolean;
  /** HTTP status, or "file" for a local file. */
  status: number | 'file';
  /** Bytes, when the server or the file system says. */
  size?: number;
  message?: string;
}

export interface SourceStream {
  stream: ReadableStream<Uint8Array>;
  /** Bytes of the image, when known beforehand (not for a packed source). */
  size?: number;
  /** With `hash`: the digests of what passed, once the stream has been read to its end. */
  digests?: () => SourceDigests;
  /** The error a packed source's own bytes raised in the stream, if any (a corrupt or cut .xz, say). */
  fault?: () => Error | undefined;
}

export interface SourceReaderOptions {
  /** How long a server may take to answer (the headers); default 30 s. A stalled body is the uploader's. */
  timeoutMs?: number;
  /** Directories (--allow-local-files) whose files file: URLs may name; none: every file: URL is refused. */
  localFileDirs?: readonly string[];
  /**
   * How `open` GETs an http(s) source's bytes; default the fetch. In production `undiciDownloadWith`, whose
   * body is not copied chunk by chunk as fetch's is.
   */
  download?: FetchLike;
  /** The time of the timeouts; default the system's. */
  clock?: Clock;
  /** What a packed (compressed or archived) source may unpack to at most (--max-unpacked-size); default 64 GiB. */
  maxUnpackedBytes?: number;
}

export interface OpenOptions {
  /**
   * The declared disk format: the first bytes are checked against it before the stream is handed out, and
   * a mismatch rejects with a SourceFormatError (qcow2, vmdk, vhd, vhdx, vdi, iso, raw; others unchecked).
   * Of a packed source, the image unpacked from it is checked; the format also chooses an archive's member.
   */
  format?: string;
  /** Hash what passes on the way (see `SourceStream.digests`). */
  hash?: HashPlan;
}

/**
 * Reads image sources: tests that a URL answers before an import starts (following redirects, bounded by a
 * timeout), and streams the bytes for a glance-direct upload, checked against the declared format first.
 * Nothing is written to disk; a file: URL is read only when the allowlist lets it.
 */
export class SourceReader {
  private readonly timeoutMs: number;
  private readonly localFileDirs: readonly string[];
  private readonly download: FetchLike;
  private readonly clock: Clock;
  private readonly maxUnpackedBytes: number;

  constructor(
    private readonly fetch: FetchLike,
    options: SourceReaderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.localFileDirs = options.localFileDirs ?? [];
    this.download = options.download ?? fetch;
    this.clock = options.clock ?? systemClock;
    this.maxUnpackedBytes = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES;
  }

  async probe(url: string): Promise<SourceProbe> {
    if (isFileUrl(url)) {
      const checked = checkLocalFile(url, this.localFileDirs);
      return 'problem' in checked ? { ok: false, status: 'file', message: checked.problem } : probeFile(checked.path);
    }
    try {
      let response = await this.get(url, 'HEAD', true);
      // Some servers refuse HEAD; one byte of a GET says the same.
      if (response.status === 405 || response.status === 501 || response.status === 403) {
        discard(response.body);
        response = await this.get(url, 'GET', true, { Range: 'bytes=0-0' });
        discard(response.body);
      }
      const ok = response.status >= 200 && response.status < 300;
      const size = sizeOf(response.headers.get('content-length'), response.headers.get('content-range'));
      return { ok, status: response.status, ...size };
    } catch (error) {
      return { ok: false, status: 0, message: describeFetchError(error, url) };
    }
  }

  /**
   * The image's bytes as a stream; with `format`, only once its first bytes show that format. A packed source
   * (`.xz`, `.tar.gz`, …: packing.ts) is unpacked on the way: the stream is the image inside it.
   */
  async open(url: string, options: OpenOptions = {}): Promise<SourceStream> {
    const opened = isFileUrl(url) ? await this.openFile(url) : await this.openHttp(url);
    const packing = packingOf(url);
    const read = packing ? await this.unpack(opened, url, packing, options) : hashed(opened, options.hash);
    if (options.format === undefined) return read;
    const { head, stream } = await peek(read.stream, SNIFF_BYTES);
    const found = formatMismatch(options.format, head);
    if (found) {
      discard(stream);
      throw new SourceFormatError(url, options.format, found);
    }
    return { ...read, stream };
  }

  /**
   * Reads the whole source once (checked against `format` first, like `open`) and hashes it as `hash` says:
   * the tool's own look at the bytes Glance fetches. Memory stays flat; a source that sends nothing for the
   * timeout fails, and so does an abort of `signal`. A plain source is read in one loop that does the format
   * check, the hashing and the stall watch (`hashToEnd`); a packed one is unpacked and hashed by `open`'s steps.
   */
  async digest(url: string, options: OpenOptions & { hash: HashPlan; signal?: AbortSignal }): Promise<SourceDigests> {
    const { format, hash, signal } = options;
    const watch = { stallMs: this.timeoutMs, clock: this.clock, ...(signal ? { signal } : {}) };
    if (packingOf(url) !== undefined) {
      const { stream, digests } = await this.open(url, { hash, ...(format !== undefined ? { format } : {}) });
      await hashToEnd(stream, { ...watch, algos: [] });
      return (digests as () => SourceDigests)();
    }
    const { stream } = isFileUrl(url) ? await this.openFile(url) : await this.openHttp(url);
    const check = (declared: string) => (head: Uint8Array) => {
      const found = formatMismatch(declared, head);
      if (found) throw new SourceFormatError(url, declared, found);
    };
    return hashToEnd(stream, {
      ...watch,
      algos: [...hash.source, ...hash.image],
      ...(format !== undefined ? { head: { bytes: SNIFF_BYTES, check: check(format) } } : {}),
    });
  }

  /** The image inside a packed source, each side hashed as `hash` says: as published, and as unpacked. */
  private async unpack(
    opened: SourceStream,
    url: string,
    packing: Packing,
    options: OpenOptions,
  ): Promise<SourceStream> {
    const { format, hash } = options;
    const published = digesting(opened.stream, hash?.source ?? []);
    const unpack = await unpacked(published.stream, url, packing, {
      format: format ?? 'raw',
      maxBytes: this.maxUnpackedBytes,
    });
    const image = digesting(unpack.stream, hash?.image ?? []);
    const digests = () => ({ ...image.result(), packed: { ...published.result(), suffix: packing.suffix } });
    return { stream: image.stream, fault: unpack.fault, ...(hash ? { digests } : {}) };
  }

  private async openFile(url: string): Promise<SourceStream> {
    const checked = checkLocalFile(url, this.localFileDirs);
    if ('problem' in checked) throw new LocalFileError(checked.problem);
    const info = await stat(checked.path);
    // Read in 1 MiB pieces, each handed on as it was read (Readable.toWeb would copy it).
    const stream = webStreamOf(createReadStream(checked.path, { highWaterMark: FILE_CHUNK }));
    return { stream, size: info.size };
  }

  private async openHttp(url: string): Promise<SourceStream> {
    let response: FetchResponse;
    try {
      response = await this.get(url, 'GET', false);
    } catch (error) {
      throw new Error(`GET ${maskUserinfo(url)} failed: ${describeFetchError(error, url)}`);
    }
    if (response.status < 200 || response.status >= 300 || !response.body) {
      discard(response.body);
      throw new Error(`GET ${maskUserinfo(url)} answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length'));
    return { stream: response.body, ...(Number.isFinite(length) && length > 0 ? { size: length } : {}) };
  }

  /**
   * A request to the source. A user part in the URL becomes Basic authentication (fetch refuses URLs with
   * credentials). The timeout bounds the wait for the headers; for a probe, the whole request.
   */
  private async get(url: string, method: 'HEAD' | 'GET', whole: boolean, headers: Record<string, string> = {}) {
    const { bare, authorization } = splitCredentials(url);
    const init: FetchInit = { method, headers: { ...headers, ...authorization }, redirect: 'follow' };
    if (whole) return this.fetch(bare, { ...init, signal: this.clock.timeoutSignal(this.timeoutMs) });
    const controller = new AbortController();
    const abort = () => controller.abort(new DOMException('no answer', 'TimeoutError'));
    const cancelTimer = this.clock.setTimer(this.timeoutMs, abort);
    try {
      return await this.download(bare, { ...init, signal: controller.signal });
    } finally {
      cancelTimer();
    }
  }
}

/** The URL without its user part, and that user part as an Authorization header. */
export function splitCredentials(url: string): { bare: string; authorization: Record<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { bare: url, authorization: {} };
  }
  if (!parsed.username && !parsed.password) return { bare: url, authorization: {} };
  const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { bare: parsed.href, authorization: { Authorization: `Basic ${Buffer.from(user).toString('base64')}` } };
}

/**
 * The first `bytes` bytes of a stream (fewer when it is shorter), and a stream of all its bytes, those
 * included. Only what the check needs is read ahead; the rest flows on demand, so backpressure holds.
 */
export async function peek(
  source: ReadableStream<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes && !done) {
    const next = await reader.read();
    if (next.done) done = true;
    else if (next.value.length > 0) {
      chunks.push(next.value);
      length += next.value.length;
    }
  }
  const head: Uint8Array = Buffer.concat(chunks, Math.min(length, bytes));
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffered = chunks.shift();
      if (buffered) return controller.enqueue(buffered);
      const next = done ? { done: true as const } : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { head, stream };
}

/** A plain source, hashed with every algorithm of `hash` when asked: its bytes are the image's. */
function hashed(opened: SourceStream, hash: HashPlan | undefined): SourceStream {
  if (!hash) return opened;
  const read = digesting(opened.stream, [...hash.source, ...hash.image]);
  return { ...opened, stream: read.stream, digests: read.result };
}

/** Lets a body go without waiting: some servers (and msw) never settle the cancel of a body not read. */
function discard(body: ReadableStream<Uint8Array> | null): void {
  body?.cancel().catch(() => undefined);
}

async function probeFile(path: string): Promise<SourceProbe> {
  try {
    await access(path, constants.R_OK);
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, status: 'file', message: `${path} is not a file` };
    return { ok: true, status: 'file', size: info.size };
  } catch {
    return { ok: false, status: 'file', message: `${path} cannot be read` };
  }
}

function sizeOf(contentLength: string | null, contentRange: string | null): { size?: number } {
  const total = contentRange ? Number(contentRange.split('/')[1]) : Number(contentLength);
  return Number.isFinite(total) && total > 0 ? { size: total } : {};
}

function describeFetchError(error: unknown, url: string): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const { code, message } = fetchFailure(error);
  return maskUserinfo((code ?? message).split(url).join(maskUserinfo(url)));
}
