import type { FetchResponse } from '../net/fetch.js';
import type { StreamBody } from '../net/upload.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestBody = string | Uint8Array | StreamBody;

export interface HttpRequest {
  method: Method;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON with the given content type (default application/json). */
  json?: unknown;
  body?: RequestBody;
  contentType?: string;
  /** Statuses treated as success besides 2xx (Keystone's version discovery answers 300). */
  alsoOk?: number[];
  /** Safe to send twice. Default: GET, HEAD, PUT and DELETE. A streamed body is never resent. */
  idempotent?: boolean;
  /**
   * Statuses that mean done when they answer a repeat of a request whose earlier answer was lost (no answer,
   * or 502/503/504): 404 for a DELETE that the first attempt carried out.
   */
  okOnRepeat?: number[];
  /**
   * For a request not safe to repeat: after a failure that leaves its outcome unknown (`outcomeUnknown`),
   * finds out whether it took effect. Resolves with a response to use as its answer, or undefined to send
   * it again (after the backoff, within the retry budget); when it throws, the request's own error is thrown.
   * With `recover`, a 429 (nothing done) is repeated without asking.
   */
  recover?: () => Promise<HttpResponse | undefined>;
  /**
   * The timeout of one attempt. For a streamed body: the longest stall (no byte moved, or no answer after
   * the last byte), however long the whole upload takes.
   */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  json<T = unknown>(): T;
}

export function isOk(status: number, alsoOk: number[] | undefined): boolean {
  return (status >= 200 && status < 300) || (alsoOk?.includes(status) ?? false);
}

export function toHttpResponse(response: FetchResponse, text: string): HttpResponse {
  return {
    status: response.status,
    headers: response.headers,
    text,
    json<T>(): T {
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/** An answer with a status and nothing else: what a request found done by an earlier attempt stands for. */
export function emptyResponse(status: number): HttpResponse {
  return { status, headers: new Headers(), text: '', json: <T>() => undefined as T };
}
