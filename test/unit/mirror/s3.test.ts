import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type MirrorRequest, mirrorAll } from '../../../src/mirror/mirror.js';
import { S3Store } from '../../../src/mirror/s3-store.js';
import { makeHttp, useMsw } from '../openstack/helpers.js';
import { fakeS3, S3 } from './fake-stores.js';
import { bytes, definition, request, sha256, UPSTREAM, upstream, version, sendsThenWaits } from './support.js';

const { server } = useMsw();
const SECRET = 'wJalrXUtnFEMI-secret-key-value';
const NAME = 'demo/1.0-demo.raw';

function s3Store({
  buckets,
  region = 'us-east-1',
  maxCopyBytes,
}: {
  buckets?: string[];
  region?: string;
  maxCopyBytes?: number;
} = {}) {
  const t = makeHttp();
  t.http.redactor.add(SECRET);
  const fake = fakeS3(server, buckets ? { buckets } : {});
  const credentials = { accessKeyId: 'AKID', secretAccessKey: SECRET, region };
  const location = { endpoint: S3, bucket: 'images' };
  return { fake, store: new S3Store(t.http, location, credentials, t.clock, maxCopyBytes), t };
}

describe('mirror into S3', () => {
  it('gives the object’s URL as a run derives it from --mirror-base, not as it signs it', async () => {
    const { store } = s3Store();
    expect(await store.urlOf('demo/1.0(b)! #2-demo.raw')).toBe(`${S3}/images/demo/1.0(b)!%20%232-demo.raw`);
  });

  it('uploads in parts, completes the multipart upload after verification, marked; a second run only HEADs', async () => {
    const { fake, store } = s3Store();
    const data = bytes(2500);
    upstream(server, { '1.0.raw': data });
    const { req } = request(store, [definition('demo', [version('1.0', sha256(data))])]);
    const report = await mirrorAll(req);
    expect(report.objects).toMatchObject([{ action: 'copied', mirrorUrl: `${S3}/images/${NAME}` }]);
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    expect(object?.meta).toEqual({ 'image-manager': 'mirror', checksum: `sha256:${sha256(data)}` });
    expect(fake.seen.filter((s) => s.includes('partNumber'))).toHaveLength(3);
    fake.seen.length = 0;
    expect((await mirrorAll(req)).objects[0]?.action).toBe('present');
    expect(fake.seen).toEqual([`HEAD images/${NAME}`]);
  });

  it('creates a missing bucket once, in the region of its credentials, then uploads', async () => {
    const { fake, store } = s3Store({ buckets: [], region: 'RegionOne' });
    const data = bytes(10);
    upstream(server, { '1.0.raw': data, '2.0.raw': data });
    const versions = [version('1.0', sha256(data)), version('2.0', sha256(data))];
    const report = await mirrorAll(request(store, [definition('demo', versions)]).req);
    expect(report.objects.map((o) => o.action)).toEqual(['copied', 'copied']);
    expect(fake.buckets.has('images')).toBe(true);
    expect(fake.seen.filter((s) => s === 'PUT images' || s === 'HEAD images')).toEqual(['HEAD images', 'PUT images']);
    expect(fake.bodies).toEqual([
      '<CreateBucketConfiguration><LocationConstraint>RegionOne</LocationConstraint></CreateBucketConfiguration>',
    ]);
  });

  it('leaves an existing bucket alone (a HEAD, no PUT)', async () => {
    const { fake, store } = s3Store();
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(data))])]).req);
    expect(fake.seen).toContain('HEAD images');
    expect(fake.seen).not.toContain('PUT images');
  });

  it("a packed source: the image's sha256 is added by copying the object onto itself, metadata replaced", async () => {
    const { fake, store } = s3Store();
    const data = bytes(2500, 5);
    const packed = gzipSync(data);
    upstream(server, { '1.0.raw.gz': packed });
    const { req } = request(store, [definition('demo', [version('1.0', sha256(packed), `${UPSTREAM}/1.0.raw.gz`)])]);
    const report = await mirrorAll(req);
    expect(report.objects[0]).toMatchObject({ action: 'copied', mirrorChecksum: `sha256:${sha256(data)}` });
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    expect(object?.meta).toEqual({
      'image-manager': 'mirror',
      checksum: `sha256:${sha256(packed)}`,
      'image-sha256': sha256(data),
    });
    expect(fake.seen.at(-1)).toBe(`PUT images/${NAME} (copy of /images/${NAME}, metadata REPLACE)`);
    fake.seen.length = 0;
    expect((await mirrorAll(req)).objects[0]).toMatchObject({
      action: 'present',
      mirrorChecksum: `sha256:${sha256(data)}`,
    });
    expect(fake.seen).toEqual([`HEAD images/${NAME}`]);
  });

  it('an object over what one CopyObject takes gets its metadata by a multipart copy of ranges', async () => {
    const { fake, store } = s3Store({ maxCopyBytes: 1000 });
    const data = bytes(2500, 6);
    const packed = gzipSync(data);
    upstream(server, { '1.0.raw.gz': packed });
    const { req } = request(store, [definition('demo', [version('1.0', sha256(packed), `${UPSTREAM}/1.0.raw.gz`)])]);
    const report = await mirrorAll(req);
    expect(report.objects[0]).toMatchObject({ action: 'copied', mirrorChecksum: `sha256:${sha256(data)}` });
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    expect(object?.meta['image-sha256']).toBe(sha256(data));
    expect(fake.seen.filter((line) => line.startsWith('PUT') && line.includes('uploadId=up2'))).toHaveLength(3);
    expect(fake.uploads.size).toBe(0);
  });

  it('interrupted mid-copy: the multipart upload is aborted, no object left', async () => {
    const { fake, store } = s3Store();
    const interrupt = new AbortController();
    // More than the format check reads (an ISO's mark is at 32 KiB) and than a segment, then nothing.
    const endless = sendsThenWaits(40_500);
    upstream(server, { '1.0.raw': endless });
    const observers = [{ bytes: (_: unknown, sent: number) => sent >= 40_000 && interrupt.abort('SIGTERM') }];
    const extra = { signal: interrupt.signal, observers } as Partial<MirrorRequest>;
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(9)))])], extra).req);
    expect(report).toMatchObject({ interrupted: 'SIGTERM', objects: [{ action: 'failed' }] });
    expect(fake.seen.at(-1)).toMatch(/^DELETE images\/demo\/1.0-demo.raw\?uploadId=up1$/);
    expect(fake.objects.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
  });

  it('--prune aborts a multipart upload of its shape a killed run left over a day ago, not a recent one', async () => {
    const { fake, store } = s3Store();
    for (const [id, key, started] of [
      ['old', 'images/demo/0.9-demo.raw', '2025-05-30T00:00:00.000Z'],
      ['new', 'images/demo/1.0-demo.raw', '2025-05-31T12:00:00.000Z'],
      ['alien', 'images/demo/notes.txt', '2025-01-01T00:00:00.000Z'],
    ] as const) {
      fake.pending.set(id, { key, meta: {} });
      fake.uploads.set(id, new Map());
      fake.initiated.set(id, started);
    }
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const d = definition('demo', [version('1.0', sha256(data))]);
    const dry = await mirrorAll(request(store, [d], { prune: true, dryRun: true }).req);
    expect(dry.pruned).toMatchObject([{ object: 'demo/0.9-demo.raw (upload old)', action: 'would-prune' }]);
    expect(fake.uploads.has('old')).toBe(true);
    const report = await mirrorAll(request(store, [d], { prune: true }).req);
    expect(report.pruned).toMatchObject([{ object: 'demo/0.9-demo.raw (upload old)', action: 'pruned' }]);
    expect([...fake.uploads.keys()].sort()).toEqual(['alien', 'new']);
  });

  it('aborts the upload, leaving no object, when the source does not match its checksum', async () => {
    const { fake, store } = s3Store();
    upstream(server, { '1.0.raw': bytes(2500) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(9)))])]).req);
    expect(report.objects[0]?.action).toBe('failed');
    expect(fake.objects.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
    expect(fake.seen.at(-1)).toMatch(/^DELETE images\/demo\/1.0-demo.raw\?uploadId=up1$/);
  });

  it('repeats a part that met a 503, within the retry budget', async () => {
    const { fake, store } = s3Store();
    fake.fail('PUT', /partNumber=2/, 503, 1);
    const data = bytes(2500);
    upstream(server, { '1.0.raw': data });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(data))])]).req);
    expect(report.objects[0]?.action).toBe('copied');
    expect(fake.objects.get(`images/${NAME}`)?.data.equals(data)).toBe(true);
  });

  it('reports a 403 naming bucket and object, never the secret', async () => {
    const { fake, store } = s3Store();
    fake.fail('HEAD', /demo/, 403);
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    const reason = report.objects[0]?.reason ?? '';
    expect(reason).toMatch(/^s3 bucket images, object demo\/1.0-demo.raw: .*403/);
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });

  it('reports a completion that S3 answered 200 with an error, and leaves no object', async () => {
    const { fake, store } = s3Store();
    fake.fail('POST', /uploadId=up1$/, 200, 1);
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    expect(report.objects[0]).toMatchObject({ action: 'failed', reason: expect.stringContaining('CompleteMultipart') });
    expect(fake.objects.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
  });

  it('prunes its own objects of versions no longer defined, and keeps others', async () => {
    const { fake, store } = s3Store();
    fake.objects.set('images/demo/0.9-demo.raw', { data: Buffer.from('x'), meta: { 'image-manager': 'mirror' } });
    fake.objects.set('images/demo/0.8-demo.raw', { data: Buffer.from('x'), meta: {} });
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const defs = [definition('demo', [version('1.0', sha256(data))])];
    const dry = await mirrorAll(request(store, defs, { prune: true, dryRun: true }).req);
    expect(dry.pruned.map((p) => p.action).sort()).toEqual(['kept', 'would-prune']);
    const report = await mirrorAll(request(store, defs, { prune: true }).req);
    expect(report.pruned).toContainEqual({ object: 'demo/0.9-demo.raw', action: 'pruned' });
    expect([...fake.objects.keys()].sort()).toEqual(['images/demo/0.8-demo.raw', `images/${NAME}`]);
  });
});
