import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2e, glanceFor, waitForStatus, swiftAnswers } from './harness.js';
import { call, s3Call, s3Headers, stackS3, type SwiftAccount, swiftAccount } from './swift.js';

// The stack's Swift (issue 18): the object store a mirror lives in, through the Swift API (Keystone token,
// endpoint from the catalog), TempURL, SLO and the S3 API (s3api + s3token, SigV4), and the Glance of
// RegionMirror, whose import_filtering_opts let web-download reach the Swift proxy's port only.

const swiftUrl = process.env.IMAGE_MANAGER_E2E_SWIFT_URL;
const mirrorCloud = process.env.IMAGE_MANAGER_E2E_MIRROR_CLOUD;
const maxFileSize = Number(process.env.IMAGE_MANAGER_E2E_SWIFT_MAX_FILE_SIZE);

const up = await swiftAnswers();
const suffix = randomUUID().slice(0, 8);
const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

/** A TempURL of `objectUrl` (…/v1/AUTH_x/container/object) for a GET in the next ten minutes. */
function tempUrl(objectUrl: string, key: string): { url: string; sig: string } {
  const expires = Math.floor(Date.now() / 1000) + 600;
  const sig = createHmac('sha256', key)
    .update(`GET\n${expires}\n${new URL(objectUrl).pathname}`)
    .digest('hex');
  return { url: `${objectUrl}?temp_url_sig=${sig}&temp_url_expires=${expires}`, sig };
}

describe.skipIf(!up)('the stack’s Swift and S3 API', () => {
  const { session } = glanceFor(e2e.adminCloud);
  const container = `e2e-swift-${suffix}`;
  const bucket = `e2e-s3-${suffix}`;
  const publicContainer = `${container}-public`;
  const privateContainer = `${container}-private`;
  const images: string[] = [];
  let store: SwiftAccount | undefined;
  let account = '';
  const swift: SwiftAccount['call'] = (...args) => (store as SwiftAccount).call(...args);

  afterAll(async () => {
    if (!store) return;
    const mirror = mirrorCloud ? glanceFor(mirrorCloud).glance : undefined;
    for (const id of images) await mirror?.deleteImage(id).catch(() => undefined);
    await store.remove([container, publicContainer, privateContainer, bucket]);
  });

  // The token and the account (the object-store endpoint of the catalog) every test uses, and its container.
  beforeAll(async () => {
    store = await swiftAccount(session);
    account = store.url;
    expect((await swift('PUT', `/${container}`)).status).toBe(201);
  });

  it('finds the object-store endpoint in the catalog, and Swift limits objects to the stack’s max_file_size', async () => {
    expect(account).toBe(`${swiftUrl}/v1/AUTH_${(await session.currentToken()).projectId}`);
    const info = JSON.parse((await call('GET', `${swiftUrl}/info`)).body.toString());
    expect(info.swift.max_file_size).toBe(maxFileSize);
    expect(Object.keys(info)).toEqual(expect.arrayContaining(['slo', 'tempurl', 's3api']));
  });

  it('PUTs, HEADs and GETs an object with a Keystone token, and refuses one without', async () => {
    const data = randomBytes(4096);
    const put = await swift('PUT', `/${container}/plain`, { 'x-object-meta-sha256': 'abc' }, data);
    expect(put.status).toBe(201);
    expect(put.headers.etag).toBe(md5(data));
    const head = await swift('HEAD', `/${container}/plain`);
    expect([head.status, head.headers['content-length'], head.headers['x-object-meta-sha256']]).toEqual([
      200,
      '4096',
      'abc',
    ]);
    expect((await swift('GET', `/${container}/plain`)).body.equals(data)).toBe(true);
    expect((await call('GET', `${account}/${container}/plain`)).status).toBe(401);
  });

  it('joins the segments of an SLO manifest into one object', async () => {
    const segments = [randomBytes(MiB), randomBytes(1000)];
    for (const [i, segment] of segments.entries()) {
      expect((await swift('PUT', `/${container}/big/part-${i}`, {}, segment)).status).toBe(201);
    }
    const manifest = segments.map((segment, i) => ({
      path: `/${container}/big/part-${i}`,
      etag: md5(segment),
      size_bytes: segment.length,
    }));
    const put = await swift('PUT', `/${container}/big?multipart-manifest=put`, {}, JSON.stringify(manifest));
    expect(put.status).toBe(201);
    const get = await swift('GET', `/${container}/big`);
    expect(get.headers['x-static-large-object']).toBe('True');
    expect(get.body.equals(Buffer.concat(segments))).toBe(true);
  });

  it('serves a TempURL without a token, and refuses a forged signature', async () => {
    const key = randomBytes(16).toString('hex');
    expect((await swift('POST', `/${container}`, { 'x-container-meta-temp-url-key': key })).status).toBe(204);
    const data = randomBytes(2048);
    await swift('PUT', `/${container}/signed`, {}, data);
    const { url, sig } = tempUrl(`${account}/${container}/signed`, key);
    expect((await call('GET', url)).body.equals(data)).toBe(true);
    const forged = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await call('GET', url.replace(sig, forged))).status).toBe(401);
  });

  it('PUTs and GETs an object through the S3 API with the EC2 credential, and refuses a wrong secret', async () => {
    expect((await s3Call('PUT', `/${bucket}`)).status).toBe(200);
    const data = randomBytes(3000);
    const put = await s3Call('PUT', `/${bucket}/s3-object`, data);
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe(`"${md5(data)}"`);
    expect((await s3Call('GET', `/${bucket}/s3-object`)).body.equals(data)).toBe(true);
    // The same object through the Swift API: one store, two APIs.
    expect((await swift('GET', `/${bucket}/s3-object`)).body.equals(data)).toBe(true);
    const url = new URL(`${process.env.IMAGE_MANAGER_E2E_S3_ENDPOINT}/${bucket}/s3-object`);
    const forged = s3Headers('GET', url, Buffer.alloc(0), { ...stackS3, secretAccessKey: 'not-the-secret' });
    expect((await call('GET', url.href, forged)).status).toBe(403);
  });

  it('lets the mirror Glance web-download from Swift (public container, TempURL) but not from the upstream', async () => {
    if (!mirrorCloud) throw new Error('IMAGE_MANAGER_E2E_MIRROR_CLOUD is not set');
    const { glance } = glanceFor(mirrorCloud);
    const data = randomBytes(MiB);
    const sha512 = createHash('sha512').update(data).digest('hex');
    expect((await swift('PUT', `/${publicContainer}`, { 'x-container-read': '.r:*' })).status).toBe(201);
    await swift('PUT', `/${publicContainer}/image.raw`, {}, data);
    const key = randomBytes(16).toString('hex');
    await swift('PUT', `/${privateContainer}`, { 'x-container-meta-temp-url-key': key });
    await swift('PUT', `/${privateContainer}/image.raw`, {}, data);
    const sources = {
      public: `${account}/${publicContainer}/image.raw`,
      tempurl: tempUrl(`${account}/${privateContainer}/image.raw`, key).url,
      upstream: `${e2e.httpBase}/cirros-tiny.qcow2`,
    };
    const created: Record<string, string> = {};
    for (const name of Object.keys(sources)) {
      const image = await glance.createImage({
        name: `e2e-mirror-${name}-${suffix}`,
        disk_format: 'raw',
        container_format: 'bare',
      });
      images.push(image.id);
      created[name] = image.id;
    }
    await expect(
      glance.importImage(created.upstream as string, { name: 'web-download', uri: sources.upstream }),
    ).rejects.toThrow(/does not pass filtering|400/);
    for (const name of ['public', 'tempurl'] as const) {
      await glance.importImage(created[name] as string, { name: 'web-download', uri: sources[name] });
    }
    for (const name of ['public', 'tempurl'] as const) {
      const image = await waitForStatus(glance, created[name] as string, 'active');
      expect(image.os_hash_value).toBe(sha512);
    }
    expect((await glance.getImage(created.upstream as string)).status).toBe('queued');
  });
});
