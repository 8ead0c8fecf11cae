import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../src/openstack/image.js';
import { s3Presign, swiftTempUrl } from '../../src/sources/signed-url.js';
import { definition, writeCatalogue } from './catalogue.js';
import { type CliResult, e2e, glanceFor, makeQcow2, managedImages, runCli, swiftAnswers } from './harness.js';
import { call, s3Call, stackS3, stackS3Env, type SwiftAccount, swiftAccount } from './swift.js';

// The mirror's fallback to url and its signed URLs against the stack's real Swift (issue 18): `mirror` fills
// a container and a bucket, then a test removes or corrupts an object in Swift behind the tool's back, or
// keeps the store private and lets the run sign each mirror URL. devstack-admin's Glance may fetch from the
// upstream and from Swift, devstack-mirror's (RegionMirror) from Swift only.

const mirrorCloud = process.env.IMAGE_MANAGER_E2E_MIRROR_CLOUD as string;
const s3Endpoint = process.env.IMAGE_MANAGER_E2E_S3_ENDPOINT ?? '';
const up = await swiftAnswers();
const suffix = randomUUID().slice(0, 8);
const tag = `e2e-swfb-${suffix}`;

interface Report {
  report: { results: Array<{ status: string; message?: string }> };
}

const sources = {
  gone: makeQcow2(2),
  corrupt: makeQcow2(2),
  tempurl: makeQcow2(2),
  presign: makeQcow2(2),
};
type Case = keyof typeof sources;
const nameOf = (which: Case) => `E2E Swift Mirror ${which} ${suffix}`;
const shortnameOf = (which: Case) => `swfb-${which}-${suffix}`;
// The private mirrors' versions have names that URL encoding changes: the signatures must cover the names as
// Swift and s3api decode them (a space, + and : once broke TempURL, ( ) ! * ' the presigned URL).
const privateVersions: Partial<Record<Case, string>> = { tempurl: '1.0 b+1:2', presign: "1.0(b)!*'" };
const versionOf = (which: Case) => privateVersions[which] ?? '1.0';
/** The object's name in the mirror, encoded as the tool derives it from --mirror-base. */
const objectOf = (which: Case) =>
  [shortnameOf(which), `${versionOf(which)}-${shortnameOf(which)}.qcow2`].map(encodeURIComponent).join('/');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('hex');

const catalogue = writeCatalogue(
  (Object.keys(sources) as Case[]).map((which) => {
    const source = sources[which];
    const version = { version: versionOf(which), url: source.url, checksum: `sha256:${sha256(source.file)}` };
    const spec = definition({
      name: nameOf(which),
      multi: false,
      versions: [{ ...version, build_date: '2025-01-01' }],
    });
    return { ...spec, shortname: shortnameOf(which) };
  }),
);

/** `mirror` of the definitions `which` selects into `store`, JSON on stdout. */
function mirror(which: RegExp, store: string[], env: Record<string, string> = {}) {
  const args = ['mirror', '--cloud', e2e.adminCloud, '--images', catalogue, '--filter', which.source, ...store];
  return runCli([...args, '--output', 'json'], env);
}

/** The mirror URLs `mirror` reported: what --write-mirror-url writes, the URL a run derives from the same base. */
const mirrorUrlsOf = (stdout: string) =>
  (JSON.parse(stdout).objects as Array<{ mirrorUrl: string }>).map((o) => o.mirrorUrl);

/** A run on `cloud` of the one definition `which`, reading its mirror under `base`, JSON on stdout. */
function run(cloud: string, which: Case, base: string, extra: string[] = [], env: Record<string, string> = {}) {
  const args = ['--cloud', cloud, '--images', catalogue, '--filter', `${which} ${suffix}`, '--tag', tag];
  return runCli([...args, '--mirror-base', base, '--output', 'json', ...extra], env);
}

async function held(cloud: string, which: Case): Promise<GlanceImage[]> {
  return (await managedImages(glanceFor(cloud).glance, tag)).filter((image) => image.name?.startsWith(nameOf(which)));
}

describe.skipIf(!up)('mirrors in the real Swift: the fallback to url, private ones read through signed URLs', () => {
  const { session } = glanceFor(e2e.adminCloud);
  const open = `e2e-swfb-open-${suffix}`;
  const closed = `e2e-swfb-closed-${suffix}`;
  const bucket = `e2e-swfb-s3-${suffix}`;
  const tempUrlKey = randomBytes(24).toString('hex');
  let store: SwiftAccount | undefined;
  const swift: SwiftAccount['call'] = (...args) => (store as SwiftAccount).call(...args);
  const base = (container: string) => `${store?.url}/${container}`;

  beforeAll(async () => {
    store = await swiftAccount(session);
    const filled = mirror(/gone|corrupt/, ['--container', open]);
    expect(filled.status, filled.stderr).toBe(0);
    expect((await swift('POST', `/${open}`, { 'x-container-read': '.r:*' })).status).toBe(204);
  });

  afterAll(async () => {
    for (const cloud of [e2e.adminCloud, mirrorCloud]) {
      const { glance } = glanceFor(cloud);
      for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
    }
    if (!store) return;
    // s3api keeps the parts of multipart uploads in a container of their own.
    await store.remove([open, closed, bucket, `${bucket}+segments`]);
    await swift('POST', '', { 'x-remove-account-meta-temp-url-key': 'x' });
  });

  it('the object deleted in Swift: a warning naming the mirror and its 404, imported from url, verified', async () => {
    const mirrorUrl = `${base(open)}/${objectOf('gone')}`;
    expect((await call('GET', mirrorUrl)).status).toBe(200);
    expect((await swift('DELETE', `/${open}/${objectOf('gone')}?multipart-manifest=delete`)).status).toBe(200);
    expect((await call('GET', mirrorUrl)).status).toBe(404);

    const result = run(e2e.adminCloud, 'gone', base(open));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `The mirror ${mirrorUrl} cannot serve ${nameOf('gone')} 1.0 (Tested URL ${mirrorUrl}: 404`,
    );
    await importedFrom('url', result, e2e.adminCloud, 'gone');
  });

  describe('the object overwritten in Swift with another qcow2 (a plain PUT, not through the tool)', () => {
    const other = makeQcow2(3);
    beforeAll(async () => {
      const put = await swift('PUT', `/${open}/${objectOf('corrupt')}`, {}, readFileSync(other.file));
      expect(put.status).toBe(201);
      expect(sha512((await call('GET', `${base(open)}/${objectOf('corrupt')}`)).body)).toBe(other.sha512);
    });

    it('a Glance that reaches url: the mirror’s image is deleted unpublished, the import made again from url', async () => {
      const result = run(e2e.adminCloud, 'corrupt', base(open));
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/The mirror \S+ cannot serve .*checksum mismatch/);
      expect(result.stderr).toMatch(/Deleted the unfinished image/);
      await importedFrom('url', result, e2e.adminCloud, 'corrupt');
    });

    it('the Swift-only Glance: the import fails (exit 1) naming both reasons, and no image is left', async () => {
      const result = run(mirrorCloud, 'corrupt', base(open));
      expect(result.status, result.stderr).toBe(1);
      const [failed] = (JSON.parse(result.stdout) as Report).report.results;
      expect(failed?.status).toBe('failed');
      expect(failed?.message).toMatch(
        /not imported from any source: mirror \S+: checksum mismatch .*; url \S+: .*does not pass filtering/,
      );
      expect(await held(mirrorCloud, 'corrupt')).toEqual([]);
    });
  });

  describe('a private store: the run signs each mirror URL, and the signature shows nowhere', () => {
    it('swift-tempurl (a private container, the account’s Temp-URL-Key): Glance imports through the TempURL', async () => {
      expect((await swift('POST', '', { 'x-account-meta-temp-url-key': tempUrlKey })).status).toBe(204);
      const filled = mirror(/tempurl/, ['--container', closed]);
      expect(filled.status, filled.stderr).toBe(0);
      const mirrorUrl = `${base(closed)}/${objectOf('tempurl')}`;
      expect(mirrorUrlsOf(filled.stdout)).toEqual([mirrorUrl]);
      expect((await call('GET', mirrorUrl)).status).toBe(401);
      const signed = await call('GET', swiftTempUrl(tempUrlKey).sign(mirrorUrl, 600, Date.now()));
      expect([signed.status, sha512(signed.body)]).toEqual([200, sources.tempurl.sha512]);

      const env = { IMAGE_MANAGER_TEMPURL_KEY: tempUrlKey };
      const flags = ['--mirror-signing', 'swift-tempurl', '--debug', '--log-format', 'json'];
      const result = run(mirrorCloud, 'tempurl', base(closed), flags, env);
      expect(result.status, result.stderr).toBe(0);
      const image = await importedFrom('mirror', result, mirrorCloud, 'tempurl');
      const signature = await signatureOf(image, /temp_url_sig=([0-9a-f]{64})&temp_url_expires=\d+/);
      for (const secret of [signature, tempUrlKey]) expectNowhere(secret, result, image);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/temp_url_sig=[0-9a-f]/);
    });

    // Swift's s3api (2.30) with s3token accepts SigV4 query authentication: the presigned URL is checked by
    // Keystone's /v3/s3tokens like a signed header.
    it('s3-presign through s3api + s3token (a private bucket): Glance imports through the presigned URL', async () => {
      expect((await s3Call('PUT', `/${bucket}`)).status).toBe(200);
      const filled = mirror(/presign/, ['--s3-bucket', bucket, '--s3-endpoint', s3Endpoint], stackS3Env);
      expect(filled.status, filled.stderr).toBe(0);
      const mirrorUrl = `${s3Endpoint}/${bucket}/${objectOf('presign')}`;
      expect(mirrorUrlsOf(filled.stdout)).toEqual([mirrorUrl]);
      // Unsigned, the request is no S3 request to s3api, and Swift's proxy refuses a path outside /v1 with 400;
      // the same object through the Swift API without a token: 401.
      expect((await call('GET', mirrorUrl)).status).toBe(400);
      expect((await call('GET', `${base(bucket)}/${objectOf('presign')}`)).status).toBe(401);
      const signed = await call('GET', s3Presign(stackS3).sign(mirrorUrl, 600, Date.now()));
      expect([signed.status, sha512(signed.body)]).toEqual([200, sources.presign.sha512]);

      const flags = ['--mirror-signing', 's3-presign', '--debug'];
      const result = run(mirrorCloud, 'presign', `${s3Endpoint}/${bucket}`, flags, stackS3Env);
      expect(result.status, result.stderr).toBe(0);
      const image = await importedFrom('mirror', result, mirrorCloud, 'presign');
      const signature = await signatureOf(image, /X-Amz-Signature=([0-9a-f]{64})/);
      for (const secret of [signature, stackS3.secretAccessKey]) expectNowhere(secret, result, image);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    });
  });
});

/** The run's one result and its image in `cloud`: published, imported from `from`, verified. */
async function importedFrom(from: 'mirror' | 'url', result: CliResult, cloud: string, which: Case) {
  const { report } = JSON.parse(result.stdout) as Report;
  expect(report.results).toMatchObject([{ status: 'done', message: `from ${from}, verified` }]);
  const [image, ...others] = await held(cloud, which);
  expect(others).toEqual([]);
  expect(image).toMatchObject({ status: 'active', visibility: 'public', os_hash_value: sources[which].sha512 });
  expect(image?.image_verification).toMatch(new RegExp(`^verified: from ${from}; `));
  return image as GlanceImage;
}

/** The signature of the URL Glance fetched, from the image's import task (Glance keeps the signed URL there). */
async function signatureOf(image: GlanceImage, pattern: RegExp): Promise<string> {
  const tasks = JSON.stringify(await glanceFor(mirrorCloud).glance.listTasks(image.id));
  const signature = tasks.match(pattern)?.[1];
  expect(signature, tasks).toBeDefined();
  return signature as string;
}

function expectNowhere(secret: string, result: CliResult, image: GlanceImage): void {
  expect(result.stdout).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
  expect(JSON.stringify(image)).not.toContain(secret);
}
