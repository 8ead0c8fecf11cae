import { createHmac } from 'node:crypto';
import { amzDateOf, canonicalUri, type S3Credentials, sign, strictEncode } from '../net/sigv4.js';
import { decodedSegments } from '../net/url-path.js';

/**
 * Makes a private mirror's object URL readable for a while without credentials: Swift's TempURL or an S3
 * presigned URL. The result carries a signature (temp_url_sig, X-Amz-Signature) the redactor masks.
 */
export interface UrlSigner {
  /** The URL, readable by a GET until `nowMs` + `validForS` seconds. */
  sign(url: string, validForS: number, nowMs: number): string;
}

/**
 * Swift TempURL (`tempurl` middleware): HMAC-SHA256 over `GET\n<expires>\n<path>` with the account's key, the
 * path decoded as Swift reads it (`…/sp ace`, not `…/sp%20ace`).
 */
export function swiftTempUrl(key: string): UrlSigner {
  return {
    sign(url, validForS, nowMs) {
      const target = new URL(url);
      const expires = Math.floor(nowMs / 1000) + Math.ceil(validForS);
      const signature = createHmac('sha256', key)
        .update(`GET\n${expires}\n${decodedSegments(target).join('/')}`)
        .digest('hex');
      target.searchParams.set('temp_url_sig', signature);
      target.searchParams.set('temp_url_expires', String(expires));
      return target.toString();
    },
  };
}

/** SigV4 allows a presigned URL a week at most. */
const S3_MAX_VALID_S = 604_800;

/**
 * An S3 presigned GET (Signature Version 4, query string, `UNSIGNED-PAYLOAD`): path-style or virtual-hosted,
 * as the URL is written (Ceph RGW, MinIO, AWS).
 */
export function s3Presign(credentials: S3Credentials): UrlSigner {
  return {
    sign(url, validForS, nowMs) {
      const target = new URL(url);
      const stamp = amzDateOf(nowMs);
      const scope = `${stamp.slice(0, 8)}/${credentials.region}/s3/aws4_request`;
      const query: [string, string][] = [
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
        ['X-Amz-Date', stamp],
        ['X-Amz-Expires', String(Math.min(Math.ceil(validForS), S3_MAX_VALID_S))],
        ...(credentials.sessionToken ? [['X-Amz-Security-Token', credentials.sessionToken] as [string, string]] : []),
        ['X-Amz-SignedHeaders', 'host'],
      ];
      const canonicalQuery = query
        .map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`)
        .sort()
        .join('&');
      const request = [
        'GET',
        canonicalUri(target),
        canonicalQuery,
        `host:${target.host}\n`,
        'host',
        'UNSIGNED-PAYLOAD',
      ];
      const { signature } = sign(credentials, stamp, 's3', request.join('\n'));
      target.search = `${canonicalQuery}&X-Amz-Signature=${signature}`;
      return target.toString();
    },
  };
}
