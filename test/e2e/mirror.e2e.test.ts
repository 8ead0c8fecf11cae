import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli, wwwPath, swiftAnswers } from './harness.js';
import { s3Call, stackS3, stackS3Env, type SwiftAccount, swiftAccount } from './swift.js';

// `image-manager mirror` into the stack's real Swift, through the Swift API and through its S3 API (issue 18),
// then a run whose Glance may fetch from Swift only (RegionMirror) importing from the mirror.

const mirrorCloud = process.env.IMAGE_MANAGER_E2E_MIRROR_CLOUD;
const s3Endpoint = process.env.IMAGE_MANAGER_E2E_S3_ENDPOINT ?? '';

const up = await swiftAnswers();
const suffix = randomUUID().slice(0, 8);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface MirrorObject {
  definition: string;
  object: string;
  mirrorUrl: string;
  action: string;
}

describe.skipIf(!up)('mirror into the real Swift (Swift API and S3 API), then imports from it', () => {
  const { session } = glanceFor(e2e.adminCloud);
  const container = `e2e-mirror-${suffix}`;
  const bucket = `e2e-mirror-s3-${suffix}`;
  const tag = `e2e-mirror-${suffix}`;
  let store: SwiftAccount | undefined;
  let account = '';
  const swift: SwiftAccount['call'] = (...args) => (store as SwiftAccount).call(...args);

  // A qcow2 as published, and a raw image published as .xz: the mirror holds it unpacked.
  const qcow2 = makeQcow2(3);
  const raw = randomBytes(3 * 1024 * 1024);
  const xzName = `mirror-${suffix}.raw.xz`;
  writeFileSync(wwwPath(xzName), execFileSync('xz', ['-1', '-c'], { input: raw, maxBuffer: 64 * 1024 * 1024 }));
  const xzBytes = readFileSync(wwwPath(xzName));
  const catalogue = writeCatalogue([
    {
      ...definition({
        name: `E2E Mirror Qcow ${suffix}`,
        multi: true,
        versions: [
          { version: '20261101', url: qcow2.url, checksum: `sha512:${qcow2.sha512}`, build_date: '2026-11-01' },
        ],
      }),
      shortname: `mq${suffix}`,
    },
    {
      ...definition({
        name: `E2E Mirror Raw ${suffix}`,
        multi: true,
        versions: [
          {
            version: '20261102',
            url: `${e2e.httpBase}/${xzName}`,
            checksum: `sha256:${sha256(xzBytes)}`,
            build_date: '2026-11-02',
          },
        ],
      }),
      shortname: `mr${suffix}`,
      format: 'raw',
    },
  ]);
  const mirror = (flags: string[], env: Record<string, string> = {}) =>
    runCli(['mirror', '--cloud', e2e.adminCloud, '--images', catalogue, '--segment-size', '5', ...flags], env);
  const objectsOf = (stdout: string) => JSON.parse(stdout).objects as MirrorObject[];

  beforeAll(async () => {
    store = await swiftAccount(session);
    account = store.url;
  });

  afterAll(async () => {
    if (!store) return;
    if (mirrorCloud) {
      const { glance } = glanceFor(mirrorCloud);
      for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
    }
    // s3api keeps the parts of multipart uploads in a container of their own.
    await store.remove([container, bucket, `${bucket}+segments`]);
  });

  it('fills a Swift container (SLO, unpacked), verified; a second mirror copies nothing', async () => {
    const first = mirror(['--container', container, '--output', 'json']);
    expect(first.status, first.stderr).toBe(0);
    const objects = objectsOf(first.stdout);
    expect(objects.map((o) => [o.object, o.action])).toEqual([
      [`mq${suffix}/20261101-mq${suffix}.qcow2`, 'copied'],
      [`mr${suffix}/20261102-mr${suffix}.raw`, 'copied'],
    ]);
    // What Swift serves under the name is the image itself: the qcow2 as published, the raw unpacked from its .xz.
    const served = await swift('GET', `/${container}/mr${suffix}/20261102-mr${suffix}.raw`);
    expect(served.status).toBe(200);
    expect(sha256(served.body)).toBe(sha256(raw));
    const qcow = await swift('GET', `/${container}/mq${suffix}/20261101-mq${suffix}.qcow2`);
    expect(createHash('sha512').update(qcow.body).digest('hex')).toBe(qcow2.sha512);

    const second = mirror(['--container', container, '--output', 'json', '--debug']);
    expect(second.status, second.stderr).toBe(0);
    expect(objectsOf(second.stdout).map((o) => o.action)).toEqual(['present', 'present']);
    expect(second.stderr).not.toMatch(/method=(PUT|DELETE)/);
  });

  it('fills an S3 bucket through the S3 API (multipart), the secret never shown; a second copies nothing', async () => {
    expect((await s3Call('PUT', `/${bucket}`)).status).toBe(200);
    const env = stackS3Env;
    const flags = ['--s3-bucket', bucket, '--s3-endpoint', s3Endpoint, '--output', 'json', '--debug'];
    const first = mirror(flags, env);
    expect(first.status, first.stderr).toBe(0);
    expect(objectsOf(first.stdout).map((o) => o.action)).toEqual(['copied', 'copied']);
    expect(`${first.stdout}${first.stderr}`).not.toContain(stackS3.secretAccessKey);
    const served = await swift('GET', `/${bucket}/mr${suffix}/20261102-mr${suffix}.raw`);
    expect(sha256(served.body)).toBe(sha256(raw));

    const second = mirror(flags, env);
    expect(second.status, second.stderr).toBe(0);
    expect(objectsOf(second.stdout).map((o) => o.action)).toEqual(['present', 'present']);
  });

  it('a Glance that can reach only Swift imports from the mirror (--mirror-base), verified', async () => {
    expect((await swift('POST', `/${container}`, { 'x-container-read': '.r:*' })).status).toBe(204);
    const run = runCli([
      '--cloud',
      mirrorCloud as string,
      '--images',
      catalogue,
      '--filter',
      'Qcow',
      '--tag',
      tag,
      '--mirror-base',
      `${account}/${container}`,
      '--output',
      'json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const [image] = await managedImages(glanceFor(mirrorCloud as string).glance, tag);
    expect(image).toMatchObject({ status: 'active', os_hash_value: qcow2.sha512, image_source: qcow2.url });
    expect(String(image?.image_verification)).toMatch(/^verified: from mirror/);
  });
});
