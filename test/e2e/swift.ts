import { request } from 'undici';
import { amzDateOf, authorization, type S3Credentials, sha256 } from '../../src/net/sigv4.js';
import type { Session } from '../../src/openstack/identity.js';

// The e2e files' access to the stack's Swift (a Keystone token, the account from the catalog) and its S3 API
// (signed by the tool's own src/net/sigv4.ts), for what a test does to the store behind the tool's back.

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function call(
  method: Method,
  url: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<Answer> {
  const res = await request(url, { method, headers, body });
  const data = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body: data };
}

/** The EC2 credential `scripts/openstack-dev.sh env` exports for the stack's s3api, and the region it checks. */
export const stackS3: S3Credentials = {
  accessKeyId: process.env.IMAGE_MANAGER_E2E_S3_ACCESS_KEY ?? '',
  secretAccessKey: process.env.IMAGE_MANAGER_E2E_S3_SECRET_KEY ?? '',
  region: process.env.IMAGE_MANAGER_E2E_S3_REGION ?? '',
};

/** The same credential as the tool reads it from the environment (`mirror --s3-bucket`, `--mirror-signing s3-presign`). */
export const stackS3Env = {
  AWS_ACCESS_KEY_ID: stackS3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: stackS3.secretAccessKey,
  AWS_REGION: stackS3.region,
};

/** The headers of a path-style S3 request signed with SigV4 (header form, signed payload). */
export function s3Headers(method: Method, url: URL, body: Buffer, credentials = stackS3): Record<string, string> {
  const amzDate = amzDateOf(Date.now());
  const headers = { 'x-amz-date': amzDate, 'x-amz-content-sha256': sha256(body) };
  const input = { method, url, headers, payloadHash: headers['x-amz-content-sha256'], amzDate, service: 's3' };
  return { ...headers, authorization: authorization(input, credentials) };
}

/** A request to the stack's S3 API, `path` under its endpoint (`/bucket/key`). */
export function s3Call(method: Method, path: string, body = Buffer.alloc(0), credentials = stackS3): Promise<Answer> {
  const url = new URL(`${process.env.IMAGE_MANAGER_E2E_S3_ENDPOINT}${path}`);
  return call(method, url.href, s3Headers(method, url, body, credentials), method === 'PUT' ? body : undefined);
}

export interface SwiftAccount {
  /** The account's URL, `…/v1/AUTH_<project>`. */
  url: string;
  token: string;
  /** A request with the token, `path` under the account (`/container/object`). */
  call(method: Method, path: string, headers?: Record<string, string>, body?: Buffer | string): Promise<Answer>;
  /** Deletes the containers (or buckets) and every object in them; a missing one is left. */
  remove(containers: string[]): Promise<void>;
}

/** The Swift account of the session's project, at the object-store endpoint of its catalog. */
export async function swiftAccount(session: Session): Promise<SwiftAccount> {
  const token = (await session.currentToken()).value;
  const url = await session.endpoint('object-store');
  const swift: SwiftAccount['call'] = (method, path, headers = {}, body) =>
    call(method, `${url}${path}`, { 'x-auth-token': token, ...headers }, body);
  const remove = async (containers: string[]) => {
    for (const name of containers) {
      const listing = await swift('GET', `/${name}?format=json`);
      if (listing.status !== 200) continue;
      for (const { name: object } of JSON.parse(listing.body.toString()) as Array<{ name: string }>) {
        await swift('DELETE', `/${name}/${object.split('/').map(encodeURIComponent).join('/')}`);
      }
      await swift('DELETE', `/${name}`);
    }
  };
  return { url, token, call: swift, remove };
}
