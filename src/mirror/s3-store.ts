import { isHttpStatus } from '../openstack/errors.js';
import type { HttpClient } from '../openstack/http.js';
import type { HttpResponse, Method } from '../openstack/request.js';
import type { Clock } from '../util/clock.js';
import { Segmenter } from './segments.js';
import { amzDateOf, authorization, EMPTY_SHA256, type S3Credentials, sha256, strictEncode } from '../net/sigv4.js';
import type { ObjectStore, UploadPlan } from './store.js';
import { CHECKSUM_KEY, MARKER_KEY, MARKER_VALUE, naming, objectUrl } from './store.js';

/** S3's parts are sent with their length, so each is held in memory: at most this much. */
export const MAX_PART_BYTES = 64 * 2 ** 20;

export interface S3Location {
  /** The service's base URL; buckets are addressed by path (`ENDPOINT/BUCKET/KEY`), as RGW and MinIO take. */
  endpoint: string;
  bucket: string;
}

interface S3Call {
  method: Method;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Safe to repeat: a part (the same bytes), a HEAD, a DELETE; not the completion of an upload. */
  idempotent?: boolean;
}

/**
 * An S3 bucket (AWS, Ceph RGW, MinIO, Swift's s3api), signed with SigV4. Every object is a multipart upload,
 * completed only after the source's checksum was verified and aborted otherwise: nothing under the key until
 * then. Parts are buffered (their length is signed), one at a time, each tried again within the retry budget.
 */
export class S3Store implements ObjectStore {
  readonly where: string;

  constructor(
    private readonly http: HttpClient,
    private readonly location: S3Location,
    private readonly credentials: S3Credentials,
    private readonly clock: Clock,
  ) {
    this.where = `s3 bucket ${location.bucket}`;
  }

  head(name: string) {
    return naming(this.where, name, async () => {
      try {
        const response = await this.call({ method: 'HEAD', key: name });
        const checksum = response.headers.get(`x-amz-meta-${CHECKSUM_KEY}`) ?? undefined;
        const ours = response.headers.get(`x-amz-meta-${MARKER_KEY}`) === MARKER_VALUE;
        return { ours, ...(checksum ? { checksum } : {}) };
      } catch (error) {
        if (isHttpStatus(error, 404)) return undefined;
        throw error;
      }
    });
  }

  upload(name: string, stream: ReadableStream<Uint8Array>, plan: UploadPlan): Promise<void> {
    return naming(this.where, name, async () => {
      const headers = Object.fromEntries(Object.entries(plan.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
      const created = await this.call({ method: 'POST', key: name, query: { uploads: '' }, headers });
      const uploadId = xmlValues(created.text, 'UploadId')[0];
      if (!uploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
      const segmenter = new Segmenter(stream, Math.min(plan.segmentBytes, MAX_PART_BYTES));
      try {
        const etags = await this.sendParts(name, uploadId, segmenter);
        plan.verify();
        await this.complete(name, uploadId, etags);
      } catch (error) {
        await segmenter.cancel(error);
        const abort = { method: 'DELETE' as const, key: name, query: { uploadId } };
        await this.call(abort).catch(() => undefined);
        throw error;
      }
    });
  }

  remove(name: string): Promise<void> {
    return naming(this.where, name, async () => {
      await this.call({ method: 'DELETE', key: name });
    });
  }

  list(prefix: string): Promise<string[]> {
    return naming(this.where, prefix, async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const query: Record<string, string> = {
          'list-type': '2',
          prefix,
          ...(token ? { 'continuation-token': token } : {}),
        };
        const text = (await this.call({ method: 'GET', query })).text;
        keys.push(...xmlValues(text, 'Key'));
        token = xmlValues(text, 'NextContinuationToken')[0];
      } while (token);
      return keys;
    });
  }

  async urlOf(name: string): Promise<string> {
    return objectUrl(this.location.endpoint, this.location.bucket, name);
  }

  private async sendParts(name: string, uploadId: string, segmenter: Segmenter): Promise<string[]> {
    const etags: string[] = [];
    while (await segmenter.more()) {
      const body = await segmenter.part();
      const query = { partNumber: String(etags.length + 1), uploadId };
      const response = await this.call({ method: 'PUT', key: name, query, body, idempotent: true });
      etags.push(response.headers.get('etag') ?? '');
    }
    return etags;
  }

  /** S3 may answer 200 and put its error in the body of a completion. */
  private async complete(name: string, uploadId: string, etags: string[]): Promise<void> {
    const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`);
    const body = `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
    const response = await this.call({ method: 'POST', key: name, query: { uploadId }, body, idempotent: false });
    if (/<Error>/.test(response.text)) {
      throw new Error(`CompleteMultipartUpload failed: ${xmlValues(response.text, 'Message')[0] ?? response.text}`);
    }
  }

  private urlFor(key = '', query: Record<string, string> = {}): URL {
    const path = [this.location.bucket, ...(key ? key.split('/') : [])].map(strictEncode).join('/');
    const search = Object.entries(query).map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`);
    const tail = search.length > 0 ? `?${search.join('&')}` : '';
    return new URL(`${this.location.endpoint.replace(/\/+$/, '')}/${path}${tail}`);
  }

  private call(call: S3Call): Promise<HttpResponse> {
    const url = this.urlFor(call.key, call.query);
    const amzDate = amzDateOf(this.clock.now());
    const payloadHash = call.body === undefined ? EMPTY_SHA256 : sha256(call.body);
    const { sessionToken } = this.credentials;
    const headers: Record<string, string> = {
      ...call.headers,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': payloadHash,
      ...(sessionToken ? { 'x-amz-security-token': sessionToken } : {}),
    };
    const signed = authorization(
      { method: call.method, url, headers, payloadHash, amzDate, service: 's3' },
      this.credentials,
    );
    const body =
      call.body === undefined ? {} : { body: typeof call.body === 'string' ? call.body : new Uint8Array(call.body) };
    return this.http.request({
      method: call.method,
      url: url.href.replace(/\?$/, ''),
      headers: { ...headers, Authorization: signed },
      ...body,
      ...(call.idempotent !== undefined ? { idempotent: call.idempotent } : {}),
    });
  }
}

/** The texts of the elements named `tag` in an S3 XML answer, entities decoded. */
export function xmlValues(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => decodeXml(match[1] ?? ''));
}

function decodeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity] ?? whole;
  });
}
