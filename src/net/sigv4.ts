import { createHash, createHmac } from 'node:crypto';
import { decodedSegments } from './url-path.js';

/** Credentials of an S3-compatible store; never from a definition, never logged. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign besides host (lower-case names). */
  headers: Record<string, string>;
  /** Hex SHA-256 of the payload. */
  payloadHash: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  service: string;
}

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The Authorization header of AWS Signature Version 4 for a request (header-based signing). */
export function authorization(input: SignInput, credentials: S3Credentials): string {
  const headers: Record<string, string> = { host: input.url.host };
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value.trim();
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    input.method,
    canonicalUri(input.url),
    canonicalQuery(input.url.searchParams),
    names.map((name) => `${name}:${headers[name]}\n`).join(''),
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const { scope, signature } = sign(credentials, input.amzDate, input.service, canonical);
  return (
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`
  );
}

/**
 * The canonical URI of an S3 request: each segment of the object's name encoded once as RFC 3986 wants (S3
 * does not encode twice), so that `a(1)`, `a%281%29` and the name S3 decodes from either sign alike.
 */
export function canonicalUri(url: URL): string {
  return decodedSegments(url).map(strictEncode).join('/') || '/';
}

/**
 * The SigV4 signature of a canonical request (header or query signing alike) and its credential scope: the
 * key derived from the secret by day, region and service.
 */
export function sign(
  credentials: S3Credentials,
  amzDate: string,
  service: string,
  canonicalRequest: string,
): { scope: string; signature: string } {
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${credentials.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [credentials.region, service, 'aws4_request']) key = hmac(key, part);
  return { scope, signature: createHmac('sha256', key).update(toSign).digest('hex') };
}

/** `YYYYMMDDTHHMMSSZ` of a time. */
export function amzDateOf(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
