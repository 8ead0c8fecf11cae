import { Readable } from 'node:stream';
import { type Dispatcher, request as undiciRequest } from 'undici';
import { type FetchLike, type FetchResponse, fetchHeaders } from './fetch.js';

/** A request body read as it is sent: a web stream (what the importer hashes through) or a Node stream. */
export type StreamBody = ReadableStream<Uint8Array> | Readable;

export function isStreamBody(body: unknown): body is StreamBody {
  return body instanceof ReadableStream || body instanceof Readable;
}

export interface UploadInit {
  method: string;
  headers: Record<string, string>;
  body: Readable;
  signal: AbortSignal;
}

/** Sends one request with a streamed body; resolves with the answer once its headers are in. */
export type UploadLike = (url: string, init: UploadInit) => Promise<FetchResponse>;

/**
 * Streamed bodies through `undici.request`, which reads the body only as fast as the socket takes it and
 * lets each chunk go once written: memory stays flat for any image size. undici's fetch keeps every chunk
 * of a streamed body until the request ends (2.2 GB of memory for a 2 GiB image).
 * undici's own header and body timeouts are off: a long upload from a slow source would trip the header
 * timeout, which undici refreshes only when the socket is full; the caller's stall watchdog replaces them.
 */
export function undiciUpload(dispatcher: Dispatcher): UploadLike {
  return async (url, init) => {
    const { statusCode, headers, body } = await undiciRequest(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return {
      status: statusCode,
      headers: fetchHeaders(headers),
      text: () => body.text(),
      body: null,
    };
  };
}

/** Streamed bodies through an injected fetch (msw in tests): the web stream as it is, half duplex. */
export function fetchUpload(fetch: FetchLike): UploadLike {
  return (url, init) =>
    fetch(url, {
      method: init.method,
      headers: init.headers,
      body: Readable.toWeb(init.body) as ReadableStream<Uint8Array>,
      duplex: 'half',
      signal: init.signal,
      redirect: 'follow',
    });
}
