import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli, wwwPath, swiftAnswers } from './harness.js';
import { stackS3, type SwiftAccount, swiftAccount } from './swift.js';

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
  mirrorChecksum?: string;
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
    // The raw image's sha256 as the object's metadata records it (reported; never written into a file as such).
    expect(objectsOf(second.stdout).map((o) => o.mirrorChecksum)).toEqual([undefined, `sha256:${sha256(raw)}`]);
  });

  it("copies again an object whose checksum changed, and deletes the replaced copy's segments", async () => {
    const name = `mr${suffix}/20261102-mr${suffix}.raw`;
    const segmentsOf = async () => {
      const listing = await swift('GET', `/${container}?format=json&prefix=.image-manager-segments/${name}/`);
      return (JSON.parse(listing.body.toString()) as Array<{ name: string }>).map((entry) => entry.name);
    };
    const before = await segmentsOf();
    expect(before.length).toBeGreaterThan(0);
    // A POST replaces all of an object's metadata: the marker is sent again with the other checksum.
    const meta = { 'x-object-meta-image-manager': 'mirror', 'x-object-meta-checksum': 'sha256:00' };
    expect((await swift('POST', `/${container}/${name}`, meta)).status).toBe(202);
    const again = mirror(['--container', container, '--output', 'json', '--filter', 'Raw']);
    expect(again.status, again.stderr).toBe(0);
    expect(objectsOf(again.stdout).map((o) => o.action)).toEqual(['recopied']);
    const after = await segmentsOf();
    expect(after.length).toBe(before.length);
    expect(after.filter((segment) => before.includes(segment))).toEqual([]);
    expect(sha256((await swift('GET', `/${container}/${name}`)).body)).toBe(sha256(raw));
  });

  it('--prune deletes the segments a killed copy left (a folder over a day old no manifest lists), nothing else', async () => {
    const killed = `.image-manager-segments/mq${suffix}/20200101-mq${suffix}.qcow2/1000/000001`;
    expect((await swift('PUT', `/${container}/${killed}`, {}, 'segment')).status).toBe(201);
    const before = await swift('GET', `/${container}?format=json`);
    const count = (JSON.parse(before.body.toString()) as unknown[]).length;
    const run = mirror(['--container', container, '--prune', '--filter', 'Qcow', '--output', 'json']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).pruned).toMatchObject([
      {
        object: `mq${suffix}/20200101-mq${suffix}.qcow2 (upload ${killed.slice(0, -'000001'.length)})`,
        action: 'pruned',
      },
    ]);
    expect((await swift('GET', `/${container}/${killed}`)).status).toBe(404);
    const after = await swift('GET', `/${container}?format=json`);
    expect((JSON.parse(after.body.toString()) as unknown[]).length).toBe(count - 1);
  });

  it('creates and fills an S3 bucket through the S3 API (multipart), keys from a profile, the secret never shown; a second copies nothing', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'im-e2e-home-'));
    mkdirSync(path.join(home, '.aws'));
    const keys = `[mirror]\naws_access_key_id = ${stackS3.accessKeyId}\naws_secret_access_key = ${stackS3.secretAccessKey}\n`;
    writeFileSync(path.join(home, '.aws', 'credentials'), keys, { mode: 0o600 });
    writeFileSync(path.join(home, '.aws', 'config'), `[profile mirror]\nregion = ${stackS3.region}\n`);
    const env = { HOME: home };
    const flags = ['--s3-bucket', bucket, '--s3-endpoint', s3Endpoint, '--s3-profile', 'mirror', '--output', 'json'];
    const first = mirror(flags, env);
    expect(first.status, first.stderr).toBe(0);
    expect(objectsOf(first.stdout).map((o) => o.action)).toEqual(['copied', 'copied']);
    expect(`${first.stdout}${first.stderr}`).not.toContain(stackS3.secretAccessKey);
    const served = await swift('GET', `/${bucket}/mr${suffix}/20261102-mr${suffix}.raw`);
    expect(sha256(served.body)).toBe(sha256(raw));

    // --prune also asks s3api for unfinished multipart uploads (ListMultipartUploads): none is a day old.
    const second = mirror([...flags, '--prune'], env);
    expect(second.status, second.stderr).toBe(0);
    expect(objectsOf(second.stdout).map((o) => o.action)).toEqual(['present', 'present']);
    expect(JSON.parse(second.stdout).pruned).toEqual([]);
    // Added after the multipart upload by a CopyObject onto itself: the S3 API has it.
    expect(objectsOf(second.stdout)[1]?.mirrorChecksum).toBe(`sha256:${sha256(raw)}`);
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

  it('a packed upstream: --write-mirror-url records mirror_checksum, and the Swift-only Glance imports it', async () => {
    expect((await swift('POST', `/${container}`, { 'x-container-read': '.r:*' })).status).toBe(204);
    const object = `${account}/${container}/mr${suffix}/20261102-mr${suffix}.raw`;
    const runRaw = (flags: string[]) =>
      runCli(['--cloud', mirrorCloud as string, '--images', catalogue, '--filter', 'Raw', '--tag', tag, ...flags]);
    // Without mirror_checksum the mirror's unpacked copy cannot be verified: url is planned, and the log says why.
    const before = runRaw(['--mirror-base', `${account}/${container}`, '--dry-run']);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toContain(`from ${e2e.httpBase}/${xzName}`);
    expect(before.stdout).not.toContain(object);
    expect(before.stderr).toContain(
      'no mirror_checksum to verify the --mirror-base copy (unpacked) by; importing from url',
    );

    // The object is there, but the file has no mirror_checksum: the object's own record is not taken for it,
    // the copy is made again from the verified source and its digest written; a second time, only a HEAD.
    const flags = ['--container', container, '--filter', 'Raw', '--write-mirror-url', '--output', 'json'];
    const written = mirror(flags);
    expect(written.status, written.stderr).toBe(0);
    expect(objectsOf(written.stdout).map((o) => o.action)).toEqual(['recopied']);
    const text = readFileSync(path.join(catalogue, 'images.yml'), 'utf8');
    expect(text).toContain(`mirror_url: ${object}\n`);
    expect(text).toContain(`mirror_checksum: sha256:${sha256(raw)}\n`);
    expect(objectsOf(mirror(flags).stdout).map((o) => o.action)).toEqual(['present']);

    const dry = runRaw(['--dry-run']);
    expect(dry.stdout).toContain(`from ${object}, else ${e2e.httpBase}/${xzName}`);
    const run = runRaw(['--output', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const [image] = await managedImages(glanceFor(mirrorCloud as string).glance, tag).then((images) =>
      images.filter((i) => i.name?.includes('Raw')),
    );
    expect(image).toMatchObject({ status: 'active', disk_format: 'raw', image_source: `${e2e.httpBase}/${xzName}` });
    expect(image?.os_hash_value).toBe(createHash('sha512').update(raw).digest('hex'));
    expect(String(image?.image_verification)).toBe(
      "verified: from mirror; sha256 of the unpacked image = the definition's mirror_checksum; " +
        "Glance's sha512 = the source's",
    );
  });
});
