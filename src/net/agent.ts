import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike, FetchResponse } from './fetch.js';

/** The TLS settings of a connection pool: a cloud's (`cacert`, `cert`, `key`, `verify`), or none. */
export interface TlsOptions {
  /** false when certificates are not checked. */
  verify: boolean;
  caCertFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** undici's fetch over one keep-alive connection pool, with the given TLS settings. */
export function undiciFetchWith(tls: TlsOptions | undefined): FetchLike {
  return fetchVia(agentFor(tls));
}

/**
 * One keep-alive connection pool with the given TLS settings, HTTP/1.1 only: undici 8 offers HTTP/2 to a TLS
 * server by default, and would then carry the parallel uploads of a run as streams of one connection, a
 * transport their streaming and stall watch were never measured on.
 */
export function agentFor(tls: TlsOptions | undefined): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    connections: 16,
    allowH2: false,
    connect: {
      rejectUnauthorized: tls?.verify ?? true,
      ...(tls?.caCertFile ? { ca: readFileSync(tls.caCertFile) } : {}),
      ...(tls?.certFile ? { cert: readFileSync(tls.certFile) } : {}),
      ...(tls?.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
    },
  });
}

export function fetchVia(agent: Agent): FetchLike {
  return (url, init) => {
    const withAgent = { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1];
    return undiciFetch(url, withAgent) as unknown as Promise<FetchResponse>;
  };
}
