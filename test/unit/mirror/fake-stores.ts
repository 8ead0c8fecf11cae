import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';

export const SWIFT = 'http://swift.test/v1/AUTH_p';
export const S3 = 'http://s3.test';

export interface FakeObject {
  data: Buffer;
  meta: Record<string, string>;
  /** A static large object: its segments' names. */
  segments?: string[];
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

/** What a fake store holds and answers: objects by `container/name`, and faults a test puts in. */
export interface FakeStore {
  objects: Map<string, FakeObject>;
  /** Answers every request whose method and URL match with this status (once each `times`). */
  fail(method: string, pattern: RegExp, status: number, times?: number): void;
  /** The requests it saw, `METHOD path?query`. */
  seen: string[];
}

function faults() {
  const list: { method: string; pattern: RegExp; status: number; times: number }[] = [];
  return {
    add: (method: string, pattern: RegExp, status: number, times = Number.POSITIVE_INFINITY) => {
      list.push({ method, pattern, status, times });
    },
    take(method: string, url: string): number | undefined {
      const found = list.find((f) => f.method === method && f.pattern.test(url) && f.times > 0);
      if (!found) return undefined;
      found.times--;
      return found.status;
    },
  };
}

/** A Swift proxy: objects, SLO manifests (checked against their segments) and listings. */
export function fakeSwift(server: SetupServer): FakeStore {
  const objects = new Map<string, FakeObject>();
  const containers = new Set<string>();
  const seen: string[] = [];
  const fault = faults();
  const keyOf = (url: URL) => decodeURIComponent(url.pathname.slice(new URL(SWIFT).pathname.length + 1));
  server.use(
    http.all(`${SWIFT}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const key = keyOf(url);
      seen.push(`${request.method} ${key}${url.search}`);
      const status = fault.take(request.method, `${key}${url.search}`);
      if (status) return new HttpResponse('fault', { status });
      if (request.method === 'GET' && !key.includes('/')) return listing(objects, key, url.searchParams);
      // A container: created by a PUT (202 when it is there), and needed by every object PUT, as in Swift.
      if (request.method === 'PUT' && !key.includes('/')) {
        const made = !containers.has(key);
        containers.add(key);
        return new HttpResponse(null, { status: made ? 201 : 202 });
      }
      if (request.method === 'PUT' && !containers.has(key.split('/')[0] as string)) {
        return new HttpResponse('The resource could not be found.', { status: 404 });
      }
      const found = objects.get(key);
      if (request.method === 'GET' && url.searchParams.get('multipart-manifest') === 'get') {
        if (!found) return new HttpResponse(null, { status: 404 });
        return HttpResponse.json((found.segments ?? []).map((path) => ({ path: `/${path}` })));
      }
      switch (request.method) {
        case 'HEAD': {
          if (!found) return new HttpResponse(null, { status: 404 });
          const headers: Record<string, string> = { 'content-length': String(found.data.length) };
          if (found.segments) headers['x-static-large-object'] = 'True';
          for (const [name, value] of Object.entries(found.meta)) headers[`x-object-meta-${name}`] = value;
          return new HttpResponse(null, { status: 200, headers });
        }
        case 'PUT':
          return put(objects, key, url, request);
        case 'DELETE': {
          if (!found) return new HttpResponse(null, { status: 404 });
          objects.delete(key);
          if (url.searchParams.has('multipart-manifest')) for (const s of found.segments ?? []) objects.delete(s);
          return new HttpResponse(null, { status: 204 });
        }
      }
      return new HttpResponse(null, { status: 405 });
    }),
  );
  return { objects, seen, fail: fault.add };
}

function listing(objects: Map<string, FakeObject>, container: string, query: URLSearchParams) {
  const prefix = `${container}/${query.get('prefix') ?? ''}`;
  const marker = query.get('marker');
  const names = [...objects.keys()]
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(container.length + 1))
    .sort()
    .filter((name) => marker === null || name > marker);
  return HttpResponse.json(names.map((name) => ({ name })));
}

async function put(objects: Map<string, FakeObject>, key: string, url: URL, request: Request) {
  const data = Buffer.from(await request.arrayBuffer());
  const meta: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name.startsWith('x-object-meta-')) meta[name.slice('x-object-meta-'.length)] = value;
  });
  if (url.searchParams.get('multipart-manifest') !== 'put') {
    objects.set(key, { data, meta });
    return new HttpResponse(null, { status: 201, headers: { etag: md5(data) } });
  }
  const segments = JSON.parse(data.toString()) as { path: string; etag: string; size_bytes: number }[];
  const parts: Buffer[] = [];
  for (const segment of segments) {
    const part = objects.get(segment.path.replace(/^\//, ''));
    if (!part || md5(part.data) !== segment.etag || part.data.length !== segment.size_bytes) {
      return new HttpResponse(`bad segment ${segment.path}`, { status: 400 });
    }
    parts.push(part.data);
  }
  objects.set(key, { data: Buffer.concat(parts), meta, segments: segments.map((s) => s.path.replace(/^\//, '')) });
  return new HttpResponse(null, { status: 201 });
}

/**
 * An S3 endpoint (path-style): buckets (`images` exists unless told otherwise), objects, multipart uploads,
 * ListObjectsV2; every request must be signed.
 */
export function fakeS3(
  server: SetupServer,
  { buckets = ['images'] }: { buckets?: string[] } = {},
): FakeStore & {
  uploads: Map<string, Map<number, Buffer>>;
  buckets: Set<string>;
  bodies: string[];
  initiated: Map<string, string>;
  pending: Map<string, { key: string; meta: Record<string, string> }>;
} {
  const existing = new Set(buckets);
  /** When each multipart upload began, ISO 8601, as ListMultipartUploads says: tests backdate one here. */
  const initiated = new Map<string, string>();
  const bodies: string[] = [];
  const objects = new Map<string, FakeObject>();
  const uploads = new Map<string, Map<number, Buffer>>();
  const pending = new Map<string, { key: string; meta: Record<string, string> }>();
  const seen: string[] = [];
  const fault = faults();
  server.use(
    http.all(`${S3}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const key = decodeURIComponent(url.pathname.slice(1));
      seen.push(`${request.method} ${key}${url.search}`);
      if (!request.headers.get('authorization')?.startsWith('AWS4-HMAC-SHA256 Credential=')) {
        return new HttpResponse('<Error><Code>AccessDenied</Code></Error>', { status: 403 });
      }
      const status = fault.take(request.method, `${key}${url.search}`);
      if (status) return new HttpResponse('<Error><Code>Fault</Code></Error>', { status });
      const q = url.searchParams;
      const bucket = key.split('/')[0] ?? '';
      if (!key.includes('/') && request.method === 'PUT') {
        bodies.push(await request.text());
        if (existing.has(bucket))
          return new HttpResponse('<Error><Code>BucketAlreadyOwnedByYou</Code></Error>', { status: 409 });
        existing.add(bucket);
        return new HttpResponse(null, { status: 200 });
      }
      if (!existing.has(bucket)) return new HttpResponse('<Error><Code>NoSuchBucket</Code></Error>', { status: 404 });
      if (!key.includes('/') && request.method === 'HEAD') return new HttpResponse(null, { status: 200 });
      if (request.method === 'GET' && !key.includes('/') && q.has('uploads')) {
        const listed = [...pending].filter(
          ([id, u]) => uploads.has(id) && u.key.startsWith(`${key}/${q.get('prefix') ?? ''}`),
        );
        const entries = listed.map(
          ([id, u]) =>
            `<Upload><Key>${u.key.slice(key.length + 1)}</Key><UploadId>${id}</UploadId>` +
            `<Initiated>${initiated.get(id) ?? '2025-06-01T00:00:00.000Z'}</Initiated></Upload>`,
        );
        return new HttpResponse(
          `<ListMultipartUploadsResult>${entries.join('')}<IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`,
        );
      }
      if (request.method === 'GET' && !key.includes('/')) {
        const prefix = `${key}/${q.get('prefix') ?? ''}`;
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(key.length + 1));
        return new HttpResponse(`<ListBucketResult>${keys.map((k) => `<Key>${k}</Key>`).join('')}</ListBucketResult>`);
      }
      if (request.method === 'POST' && q.has('uploads')) {
        const id = `up${pending.size + 1}`;
        const meta: Record<string, string> = {};
        request.headers.forEach((value, name) => {
          if (name.startsWith('x-amz-meta-')) meta[name.slice('x-amz-meta-'.length)] = value;
        });
        pending.set(id, { key, meta });
        uploads.set(id, new Map());
        return new HttpResponse(
          `<InitiateMultipartUploadResult><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      const uploadId = q.get('uploadId');
      if (uploadId !== null) {
        const parts = uploads.get(uploadId);
        if (!parts) return new HttpResponse('<Error><Code>NoSuchUpload</Code></Error>', { status: 404 });
        const copied = request.headers.get('x-amz-copy-source');
        if (request.method === 'PUT' && copied !== null) {
          const from = objects.get(decodeURIComponent(copied).slice(1));
          const [first, last] = (request.headers.get('x-amz-copy-source-range') ?? '').slice(6).split('-').map(Number);
          if (!from || first === undefined || last === undefined || last >= from.data.length) {
            return new HttpResponse('<Error><Code>InvalidRange</Code></Error>', { status: 416 });
          }
          const data = from.data.subarray(first, last + 1);
          parts.set(Number(q.get('partNumber')), data);
          return new HttpResponse(`<CopyPartResult><ETag>&quot;${md5(data)}&quot;</ETag></CopyPartResult>`);
        }
        if (request.method === 'PUT') {
          const data = Buffer.from(await request.arrayBuffer());
          parts.set(Number(q.get('partNumber')), data);
          return new HttpResponse(null, { headers: { etag: `"${md5(data)}"` } });
        }
        if (request.method === 'DELETE') {
          uploads.delete(uploadId);
          return new HttpResponse(null, { status: 204 });
        }
        const numbers = [...parts.keys()].sort((a, b) => a - b);
        const upload = pending.get(uploadId) as { key: string; meta: Record<string, string> };
        objects.set(upload.key, { data: Buffer.concat(numbers.map((n) => parts.get(n) as Buffer)), meta: upload.meta });
        uploads.delete(uploadId);
        return new HttpResponse('<CompleteMultipartUploadResult></CompleteMultipartUploadResult>');
      }
      const found = objects.get(key);
      const copySource = request.headers.get('x-amz-copy-source');
      if (request.method === 'PUT' && copySource !== null) {
        const directive = request.headers.get('x-amz-metadata-directive') ?? 'COPY';
        seen[seen.length - 1] = `PUT ${key} (copy of ${decodeURIComponent(copySource)}, metadata ${directive})`;
        const from = objects.get(decodeURIComponent(copySource).slice(1));
        if (!from) return new HttpResponse('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
        const meta: Record<string, string> = {};
        request.headers.forEach((value, name) => {
          if (name.startsWith('x-amz-meta-')) meta[name.slice('x-amz-meta-'.length)] = value;
        });
        objects.set(key, { data: from.data, meta: directive === 'REPLACE' ? meta : from.meta });
        return new HttpResponse('<CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>');
      }
      if (request.method === 'HEAD') {
        if (!found) return new HttpResponse(null, { status: 404 });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(found.meta)) headers[`x-amz-meta-${name}`] = value;
        return new HttpResponse(null, { headers });
      }
      if (request.method === 'DELETE') {
        objects.delete(key);
        return new HttpResponse(null, { status: 204 });
      }
      return new HttpResponse(null, { status: 405 });
    }),
  );
  return { objects, uploads, seen, fail: fault.add, buckets: existing, bodies, initiated, pending };
}
