import { createHash, createHmac } from 'node:crypto';

/** An S3 credential and region, as `scripts/openstack-dev.sh env` exports them for the stack's s3api. */
export interface S3Credential {
  accessKey: string;
  secretKey: string;
  region: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * The headers that sign a path-style S3 request with AWS Signature Version 4 (header form, signed payload):
 * `host`, `x-amz-date`, `x-amz-content-sha256` and `authorization`. The query string must already be in
 * canonical order and encoding (a test's requests use none or one plain parameter).
 */
export function signV4(
  method: string,
  url: URL,
  body: Buffer,
  credential: S3Credential,
  now: Date,
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${credential.region}/s3/aws4_request`;
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': sha256(body),
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    method,
    url.pathname,
    url.search.slice(1),
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credential.secretKey}`, day);
  for (const part of [credential.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credential.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
