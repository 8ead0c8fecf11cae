import type { FetchResponse } from '../net/fetch.js';
import { fetchFailure } from '../net/fetch-failure.js';
import { ConnectionError, HttpError, serviceMessageOf } from './errors.js';
import type { HttpRequest } from './request.js';

type Scrub = (text: string) => string;

// Errors raised before any byte of the request left this machine.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** An error answer as an HttpError carrying the service's message and request id, secrets scrubbed. */
export function httpError(req: HttpRequest, response: FetchResponse, text: string, scrub: Scrub): HttpError {
  const message = serviceMessageOf(text, response.headers.get('content-type'), scrub);
  const requestId = response.headers.get('x-openstack-request-id') ?? undefined;
  return new HttpError(response.status, req.method, scrub(req.url), scrub(message), requestId);
}

/**
 * No answer, within `timeoutMs` or at all; `fromSource`: reading the streamed body failed (the image server
 * or file, not the service).
 */
export function connectionError(
  req: HttpRequest,
  caught: unknown,
  timeoutMs: number,
  scrub: Scrub,
  fromSource = false,
): ConnectionError {
  const url = scrub(req.url);
  if (!fromSource && caught instanceof Error && (caught.name === 'TimeoutError' || caught.name === 'AbortError')) {
    return new ConnectionError(req.method, url, `no answer within ${timeoutMs / 1000} s`, false, true);
  }
  const { code, message } = fetchFailure(caught);
  const reason = scrub(describeCode(code ?? message));
  if (fromSource) return new ConnectionError(req.method, url, `reading the data to send failed: ${reason}`, false);
  return new ConnectionError(req.method, url, reason, code !== undefined && NOT_SENT_CODES.has(code));
}

/** A streamed request whose stall watch fired: no byte moved, or no answer after the last one. */
export function stallError(
  req: HttpRequest,
  fired: 'stalled' | 'no-answer',
  idleMs: number,
  scrub: Scrub,
): ConnectionError {
  const seconds = idleMs / 1000;
  const reason = fired === 'stalled' ? `no data moved for ${seconds} s` : `no answer ${seconds} s after the upload`;
  return new ConnectionError(req.method, scrub(req.url), reason, false, true);
}

function describeCode(reason: string): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
    UND_ERR_SOCKET: 'connection closed by the server',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (set cacert, or verify: false)',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain (set cacert, or verify: false)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified (set cacert)',
  };
  return known[reason] ? `${known[reason]} (${reason})` : reason;
}
