import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FetchLike } from '../openstack/http.js';
import { fetchFailure } from '../util/fetch-failure.js';

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

export function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

/** A file: URL as a path; OIM accepts both `file:///path` and `file:path`. */
export function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
}

/**
 * Reads image sources: tests that a URL answers before an import starts (following redirects, bounded by a
 * timeout), and streams the bytes for a glance-direct upload. Nothing is written to disk.
 */
export class SourceReader {
  constructor(
    private readonly fetch: FetchLike,
    private readonly timeoutMs = 30_000,
  ) {}

  async probe(url: string): Promise<SourceProbe> {
    if (isFileUrl(url)) return probeFile(filePath(url));
    try {
      let response = await this.fetch(url, this.init('HEAD'));
      // Some servers refuse HEAD; one byte of a GET says the same.
      if (response.status === 405 || response.status === 501 || response.status === 403) {
        await response.body?.cancel();
        response = await this.fetch(url, { ...this.init('GET'), headers: { Range: 'bytes=0-0' } });
        await response.body?.cancel();
      }
      const ok = response.status >= 200 && response.status < 300;
      const size = sizeOf(response.headers.get('content-length'), response.headers.get('content-range'));
      return { ok, status: response.status, ...size };
    } catch (error) {
      return { ok: false, status: 0, message: describeFetchError(error) };
    }
  }

  async open(url: string): Promise<SourceStream> {
    if (isFileUrl(url)) {
      const path = filePath(url);
      const info = await stat(path);
      return { stream: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, size: info.size };
    }
    const response = await this.fetch(url, { method: 'GET', headers: {}, redirect: 'follow' });
    if (response.status < 200 || response.status >= 300 || !response.body) {
      await response.body?.cancel();
      throw new Error(`GET ${url} answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length'));
    return { stream: response.body, ...(Number.isFinite(length) && length > 0 ? { size: length } : {}) };
  }

  private init(method: 'HEAD' | 'GET') {
    return { method, headers: {}, redirect: 'follow' as const, signal: AbortSignal.timeout(this.timeoutMs) };
  }
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

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const { code, message } = fetchFailure(error);
  return code ?? message;
}
