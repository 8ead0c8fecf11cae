import { mirrorObjectUrl } from '../definitions/mirror-object.js';
import { isHttpStatus } from '../openstack/errors.js';
import type { HttpClient } from '../openstack/http.js';
import type { HttpResponse, Method } from '../openstack/request.js';
import type { Clock } from '../util/clock.js';
import { Segmenter } from './segments.js';
import { amzDateOf, authorization, EMPTY_SHA256, type S3Credentials, sha256, strictEncode } from '../net/sigv4.js';
import { type AbandonedUpload, naming, type ObjectStore, storedObject, type UploadPlan } from './store.js';

/** S3's parts are sent with their length, so each is held in memory: at most this much. */
export const MAX_PART_BYTES = 64 * 2 ** 20;
/** The most S3 copies in one request (CopyObject, UploadPartCopy). */
export const MAX_COPY_BYTES = 5 * 2 ** 30;

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
  /** The bucket made sure of, once per run, before the first upload (a missing one is created). */
  private created?: Promise<void>;

  constructor(
    private readonly http: HttpClient,
    private readonly location: S3Location,
    private readonly credentials: S3Credentials,
    private readonly clock: Clock,
    /** MAX_COPY_BYTES but in tests. */
    private readonly maxCopyBytes = MAX_COPY_BYTES,
  ) {
    this.where = `s3 bucket ${location.bucket}`;
  }

  head(name: string) {
    return naming(this.where, name, async () => {
      try {
        const response = await this.call({ method: 'HEAD', key: name });
        return storedObject((key) => response.headers.get(`x-amz-meta-${key}`));
      } catch (error) {
        if (isHttpStatus(error, 404)) return undefined;
        throw error;
      }
    });
  }

  upload(name: string, stream: ReadableStream<Uint8Array>, plan: UploadPlan): Promise<void> {
    return naming(this.where, name, async () => {
      this.created ??= this.createBucket();
      await this.created;
      const uploadId = await this.begin(name, plan.metadata);
      const segmenter = new Segmenter(stream, Math.min(plan.segmentBytes, MAX_PART_BYTES));
      let known: Record<string, string>;
      let size: number;
      try {
        const sent = await this.sendParts(name, uploadId, segmenter);
        known = plan.verify();
        size = sent.size;
        await this.complete(name, uploadId, sent.etags);
      } catch (error) {
        await segmenter.cancel(error);
        await this.abort(name, uploadId);
        throw error;
      }
      if (Object.keys(known).length > 0) await this.replaceMetadata(name, { ...plan.metadata, ...known }, size);
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
    return mirrorObjectUrl(this.location.endpoint, this.location.bucket, name);
  }

  /** Multipart uploads under `prefix` initiated before `before` and never completed (ListMultipartUploads). */
  abandoned(prefix: string, before: number): Promise<AbandonedUpload[]> {
    return naming(this.where, prefix, async () => {
      const found: AbandonedUpload[] = [];
      let marker: Record<string, string> = {};
      for (;;) {
        const text = (await this.call({ method: 'GET', query: { uploads: '', prefix, ...marker } })).text;
        for (const upload of xmlValues(text, 'Upload', true)) {
          const [object, id, initiated] = ['Key', 'UploadId', 'Initiated'].map((tag) => xmlValues(upload, tag)[0]);
          if (object && id && initiated && Date.parse(initiated) < before) found.push({ object, id });
        }
        const [key, upload] = ['NextKeyMarker', 'NextUploadIdMarker'].map((tag) => xmlValues(text, tag)[0]);
        if (xmlValues(text, 'IsTruncated')[0] !== 'true' || !key) return found;
        marker = { 'key-marker': key, ...(upload && { 'upload-id-marker': upload }) };
      }
    });
  }

  discard(upload: AbandonedUpload): Promise<void> {
    return naming(this.where, upload.object, () => this.abortUpload(upload.object, upload.id));
  }

  /** A HEAD of the bucket; when there is none, a PUT (in the credentials' region outside us-east-1). */
  private async createBucket(): Promise<void> {
    try {
      await this.call({ method: 'HEAD' });
      return;
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw error;
    }
    const { region } = this.credentials;
    const body =
      region === 'us-east-1'
        ? undefined
        : `<CreateBucketConfiguration><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
    try {
      await this.call({ method: 'PUT', ...(body !== undefined && { body }), idempotent: true });
    } catch (error) {
      // Made meanwhile by another run (BucketAlreadyOwnedByYou).
      if (!isHttpStatus(error, 409)) throw error;
    }
  }

  /** Starts a multipart upload with the object's metadata: its UploadId. */
  private async begin(name: string, metadata: Record<string, string>): Promise<string> {
    const headers = metaHeaders(metadata);
    const created = await this.call({ method: 'POST', key: name, query: { uploads: '' }, headers });
    const uploadId = xmlValues(created.text, 'UploadId')[0];
    if (!uploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
    return uploadId;
  }

  /** AbortMultipartUpload: its parts are gone. */
  private async abortUpload(name: string, uploadId: string): Promise<void> {
    await this.call({ method: 'DELETE', key: name, query: { uploadId } });
  }

  /** After a failure: best effort, the failure is what is reported. */
  private async abort(name: string, uploadId: string): Promise<void> {
    await this.abortUpload(name, uploadId).catch(() => undefined);
  }

  private async sendParts(name: string, uploadId: string, segmenter: Segmenter) {
    const etags: string[] = [];
    let size = 0;
    while (await segmenter.more()) {
      const body = await segmenter.part();
      size += body.byteLength;
      const query = { partNumber: String(etags.length + 1), uploadId };
      const response = await this.call({ method: 'PUT', key: name, query, body, idempotent: true });
      etags.push(response.headers.get('etag') ?? '');
    }
    return { etags, size };
  }

  /**
   * A multipart upload's metadata is given when it starts, before the source's digest is known: the object is
   * copied onto itself with the whole metadata, server-side (CopyObject; above 5 GiB a multipart upload of
   * UploadPartCopy ranges). A failure names the object, which stays, verified, without that metadata.
   */
  private async replaceMetadata(name: string, metadata: Record<string, string>, size: number): Promise<void> {
    const source = {
      'x-amz-copy-source': `/${this.pathOf(name)}`,
    };
    try {
      if (size > this.maxCopyBytes) return await this.copyInParts(name, metadata, source, size);
      const headers = { ...metaHeaders(metadata), ...source, 'x-amz-metadata-directive': 'REPLACE' };
      const response = await this.call({ method: 'PUT', key: name, headers, idempotent: true });
      if (/<Error>/.test(response.text)) throw new Error(xmlValues(response.text, 'Message')[0] ?? response.text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`copied and verified, but its metadata could not be completed: ${why}`, { cause: error });
    }
  }

  private async copyInParts(name: string, metadata: Record<string, string>, source: object, size: number) {
    const uploadId = await this.begin(name, metadata);
    try {
      const etags: string[] = [];
      for (let start = 0; start < size; start += this.maxCopyBytes) {
        const range = `bytes=${start}-${Math.min(start + this.maxCopyBytes, size) - 1}`;
        const query = { partNumber: String(etags.length + 1), uploadId };
        const headers = { ...source, 'x-amz-copy-source-range': range };
        const response = await this.call({ method: 'PUT', key: name, query, headers, idempotent: true });
        etags.push(xmlValues(response.text, 'ETag')[0] ?? '');
      }
      await this.complete(name, uploadId, etags);
    } catch (error) {
      await this.abort(name, uploadId);
      throw error;
    }
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

  /** `BUCKET/KEY`, each segment encoded once, strictly, as SigV4 signs it. */
  private pathOf(key: string): string {
    return [this.location.bucket, ...(key ? key.split('/') : [])].map(strictEncode).join('/');
  }

  private urlFor(key = '', query: Record<string, string> = {}): URL {
    const path = this.pathOf(key);
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

function metaHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [`x-amz-meta-${key}`, value]));
}

/**
 * The texts of the elements named `tag` in an S3 XML answer, entities decoded; with `nested`, each element's
 * inner XML as it stands (an `<Upload>` of a listing, to be read further).
 */
export function xmlValues(xml: string, tag: string, nested = false): string[] {
  const pattern = new RegExp(nested ? `<${tag}>([\\s\\S]*?)</${tag}>` : `<${tag}>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => (nested ? (match[1] ?? '') : decodeXml(match[1] ?? '')));
}

function decodeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity] ?? whole;
  });
}
