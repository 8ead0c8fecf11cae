import { createReadStream, realpathSync, statSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FetchInit, FetchLike, FetchResponse } from '../net/fetch.js';
import { webStreamOf } from './web-stream.js';
import { maskUserinfo } from '../net/redact.js';
import { fetchFailure } from '../net/fetch-failure.js';
import { type Clock, systemClock } from '../util/clock.js';
import { formatMismatch, SNIFF_BYTES, SourceFormatError } from './format.js';
import { hashToEnd, type SourceDigests } from './read-through.js';

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
  size?: number;
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
}

export interface OpenOptions {
  /**
   * The declared disk format: the first bytes are checked against it before the stream is handed out, and
   * a mismatch rejects with a SourceFormatError (qcow2, vmdk, vhd, vhdx, vdi, iso, raw; others unchecked).
   */
  format?: string;
}

/** A file: URL refused by the allowlist, or an unreadable one. */
export class LocalFileError extends Error {
  override readonly name = 'LocalFileError';
}

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

/** A file: URL as a path; OIM accepts both `file:///path` and `file:path`. */
export function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
}

/**
 * Why a file: URL may not be read, or undefined when it may: its real path (symlinks and `..` resolved)
 * must be a regular file under the real path of one of `dirs`. Any other URL is not this check's business.
 */
export function localFileProblem(url: string, dirs: readonly string[]): string | undefined {
  if (!isFileUrl(url)) return undefined;
  const checked = checkLocalFile(url, dirs);
  return 'problem' in checked ? checked.problem : undefined;
}

function checkLocalFile(url: string, dirs: readonly string[]): { path: string } | { problem: string } {
  if (!isFileUrl(url)) return { problem: `${maskUserinfo(url)} is not a file: URL` };
  let given: string;
  try {
    given = filePath(url);
  } catch (error) {
    return { problem: `${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (dirs.length === 0) {
    return { problem: `${given}: file: URLs are refused unless --allow-local-files names a directory holding them` };
  }
  let real: string;
  try {
    real = realpathSync(given);
  } catch {
    return { problem: `${given} does not exist or cannot be reached` };
  }
  const allowed = dirs.flatMap((dir) => realDir(dir) ?? []);
  if (!allowed.some((dir) => real.startsWith(dir.endsWith(sep) ? dir : dir + sep))) {
    const via = real === resolve(given) ? '' : ` (where ${given} leads)`;
    return { problem: `${real}${via} lies outside the directories allowed by --allow-local-files: ${dirs.join(', ')}` };
  }
  if (!statSync(real).isFile()) return { problem: `${real} is not a regular file` };
  return { path: real };
}

function realDir(dir: string): string | undefined {
  if (!dir) return undefined;
  try {
    return realpathSync(dir);
  } catch {
    return undefined; // a directory that does not exist allows nothing
  }
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

  constructor(
    private readonly fetch: FetchLike,
    options: SourceReaderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.localFileDirs = options.localFileDirs ?? [];
    this.download = options.download ?? fetch;
    this.clock = options.clock ?? systemClock;
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

  /** The image's bytes as a stream; with `format`, only once its first bytes show that format. */
  async open(url: string, options: OpenOptions = {}): Promise<SourceStream> {
    const opened = isFileUrl(url) ? await this.openFile(url) : await this.openHttp(url);
    if (options.format === undefined) return opened;
    const { head, stream } = await peek(opened.stream, SNIFF_BYTES);
    const found = formatMismatch(options.format, head);
    if (found) {
      discard(stream);
      throw new SourceFormatError(url, options.format, found);
    }
    return { ...opened, stream };
  }

  /**
   * Reads the whole source once (checked against `format` first, like `open`) and hashes it with each of
   * `algos`: the tool's own look at the bytes Glance fetches. Memory stays flat; a source that sends nothing
   * for the timeout fails, and so does an abort of `signal`. One loop over the source's own stream does the
   * format check, the hashing and the stall watch (`hashToEnd`).
   */
  async digest(
    url: string,
    options: OpenOptions & { algos: readonly string[]; signal?: AbortSignal },
  ): Promise<SourceDigests> {
    const { stream } = isFileUrl(url) ? await this.openFile(url) : await this.openHttp(url);
    const { format, signal } = options;
    const check = (declared: string) => (head: Uint8Array) => {
      const found = formatMismatch(declared, head);
      if (found) throw new SourceFormatError(url, declared, found);
    };
    return hashToEnd(stream, {
      algos: options.algos,
      stallMs: this.timeoutMs,
      clock: this.clock,
      ...(signal ? { signal } : {}),
      ...(format !== undefined ? { head: { bytes: SNIFF_BYTES, check: check(format) } } : {}),
    });
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
