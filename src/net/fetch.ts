import type { IncomingHttpHeaders } from 'node:http';

/** The part of fetch this tool uses: undici's fetch in production, msw's patched global fetch in tests. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  signal?: AbortSignal;
  redirect?: 'follow' | 'manual' | 'error';
  duplex?: 'half';
}

export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

/** The headers of an `undici.request` answer as fetch shows them: by any case of name, repeated ones joined. */
export function fetchHeaders(headers: IncomingHttpHeaders): FetchResponse['headers'] {
  return {
    get(name: string): string | null {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}
