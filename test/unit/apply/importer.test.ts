import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { diffImage } from '../../../src/plan/diff.js';
import type { ResumeImportAction } from '../../../src/plan/types.js';
import { useMsw } from '../openstack/helpers.js';
import { versionImageId } from '../../../src/apply/image-ids.js';
import { bytesOf, desired, digest, harness, importOf, PROJECT, SOURCES, TAG, type Harness } from './fake-cloud.js';

const { server } = useMsw();

const URL = `${SOURCES}/20240301.qcow2`;
const DATA = bytesOf('qcow2 bytes of Ubuntu 24.04 built 2024-03-01, long enough to split');
const WANT = desired('Ubuntu 24.04', '20240301');

function withSource(h: Harness): Harness {
  h.cloud.sources.set(URL, DATA);
  return h;
}

/** The single image the run created. */
function createdId(h: Harness): string {
  const posts = h.cloud.of('POST', '/images');
  expect(posts).toHaveLength(1);
  const ids = [...new Set(h.cloud.requests.filter((r) => r.imageId).map((r) => r.imageId as string))];
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

const importMethods = (h: Harness) => h.cloud.of('POST', '/import').map((r) => (r.body as { name: string }).name);

describe('import: finishing a new image', () => {
  it('creates it private with every property and tag, imports it, then one PATCH of the visibility: 3 writes', async () => {
    const h = withSource(harness(server));
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha512', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    const id = createdId(h);
    expect(report.results[0]?.imageId).toBe(id);

    // Created private, fully described (every property, the identity ones among them, every tag), with the
    // version's deterministic id.
    expect(h.cloud.of('POST', '/images')[0]?.body).toEqual({
      ...WANT.properties,
      image_verification: 'pending: not verified yet',
      id: versionImageId(PROJECT, WANT, 0),
      name: WANT.name,
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      min_disk: 8,
      min_ram: 512,
      tags: [TAG, 'os:ubuntu'],
    });
    expect(h.cloud.of('POST', '/import').map((r) => r.body)).toEqual([{ name: 'web-download', uri: URL }]);

    // The create, the import, and one PATCH of what had to wait until the image is active.
    expect(h.cloud.writesTo(id)).toEqual(['POST /images/ID/import', 'PATCH /images/ID']);
    expect(h.cloud.requests.filter((r) => r.method !== 'GET')).toHaveLength(3);
    // The visibility, and the record of the verification (status reads it), in the same PATCH.
    expect(h.cloud.of('PATCH').map((r) => r.body)).toEqual([
      [
        { op: 'replace', path: '/visibility', value: 'public' },
        {
          op: 'add',
          path: '/image_verification',
          value: "verified: source sha512 = the definition's; Glance's sha512 = the source's",
        },
      ],
    ]);
    // Finished only once the data is in.
    expect(h.cloud.of('PATCH').map((r) => r.status)).toEqual(['active']);

    // Never public before it was fully described.
    const firstPublic = h.cloud.firstPublic.get(id) as GlanceImage;
    expect(firstPublic).toBeDefined();
    expect(firstPublic).toMatchObject({ ...WANT.properties, status: 'active', min_disk: 8, min_ram: 512 });
    expect(firstPublic.tags.sort()).toEqual([...(WANT.tags ?? [])].sort());
    expect(h.cloud.images.get(id)).toMatchObject({
      ...WANT.properties,
      name: WANT.name,
      visibility: 'public',
      status: 'active',
    });
  });

  it('deactivates a deactivated version before it makes it visible', async () => {
    const h = withSource(harness(server));
    const report = await h.run([importOf(1, { ...WANT, status: 'deactivated', visibility: 'community' })]);
    expect(report.results[0]?.status).toBe('done');
    const id = createdId(h);
    expect(h.cloud.writesTo(id)).toEqual([
      'POST /images/ID/import',
      'POST /images/ID/actions/deactivate',
      'PATCH /images/ID',
    ]);
    expect(h.cloud.images.get(id)).toMatchObject({ status: 'deactivated', visibility: 'community' });
  });

  it('a private version: only the record of its verification left to write after the import', async () => {
    const h = withSource(harness(server));
    const report = await h.run([importOf(1, { ...WANT, visibility: 'private' })]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.cloud.writesTo(createdId(h))).toEqual(['POST /images/ID/import', 'PATCH /images/ID']);
    expect(h.cloud.of('PATCH').map((r) => r.body)).toEqual([
      [{ op: 'add', path: '/image_verification', value: expect.stringMatching(/^not verifiable: no checksum/) }],
    ]);
  });

  it('the final changes, when there are several: tags and status first, then every field in one PATCH', async () => {
    const h = withSource(harness(server));
    const action = importOf(1, { ...WANT, status: 'deactivated' });
    // As a plan whose image is created under another name and with fewer tags than it ends with.
    const report = await h.run([
      {
        ...action,
        changes: [
          ...action.changes,
          { field: 'name', before: 'Ubuntu 24.04 (20240301)', after: 'Ubuntu 24.04' },
          { field: 'tags', before: [TAG, 'os:ubuntu'], after: [TAG, 'os:ubuntu', 'extra'] },
        ],
      },
    ]);
    expect(report.results[0]?.status).toBe('done');
    const id = createdId(h);
    expect(h.cloud.writesTo(id)).toEqual([
      'POST /images/ID/import',
      'PUT /images/ID/tags/extra',
      'POST /images/ID/actions/deactivate',
      'PATCH /images/ID',
    ]);
    expect(h.cloud.of('PATCH')[0]?.body).toEqual([
      { op: 'replace', path: '/visibility', value: 'public' },
      { op: 'replace', path: '/name', value: 'Ubuntu 24.04' },
      { op: 'add', path: '/image_verification', value: expect.stringMatching(/^not verifiable: /) },
    ]);
    expect(h.cloud.firstPublic.get(id)).toMatchObject({ name: 'Ubuntu 24.04', status: 'deactivated' });
  });
});

describe('import: web-download that fails (task failure, image back to queued)', () => {
  const failing = (h: Harness, message = 'HTTP 403 from the mirror') => {
    h.cloud.webDownload = () => ({ outcome: { fail: message } });
  };

  it('stuckRetry 1, prefetch never: a second request, then the image is deleted and the failure says why', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'never' }));
    failing(h);
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha512', DATA) })]);
    const id = h.cloud.of('POST', '/import')[0]?.imageId as string;
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toContain('HTTP 403 from the mirror');
    expect(report.results[0]?.message).toContain(WANT.name);
    expect(report.results[0]?.imageId).toBeUndefined();
    expect(importMethods(h)).toEqual(['web-download', 'web-download']);
    expect(h.cloud.tasks.get(id)?.map((t) => t.status)).toEqual(['failure', 'failure']);
    expect(h.cloud.of('PUT', '/stage')).toEqual([]);
    expect(h.cloud.writesTo(id).at(-1)).toBe('DELETE /images/ID');
    expect(h.cloud.images.size).toBe(0);
    expect(h.cloud.of('PATCH')).toEqual([]);
    expect(report.counts).toEqual({ done: 0, failed: 1, skipped: 0, deferred: 0 });
  });

  it('stuckRetry 0: a single request', async () => {
    const h = withSource(harness(server, { stuckRetry: 0, prefetch: 'never' }));
    failing(h);
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('failed');
    expect(importMethods(h)).toEqual(['web-download']);
    expect(h.cloud.images.size).toBe(0);
  });

  it('the retry succeeds: done, nothing streamed, nothing deleted', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'on-stuck' }));
    // The second attempt waits in `queued` with its task running: the newest task counts, not the failed one.
    h.cloud.webDownload = (_image, attempt) =>
      attempt === 0 ? { outcome: { fail: 'connection reset' } } : { status: 'queued', gets: 3 };
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha512', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(importMethods(h)).toEqual(['web-download', 'web-download']);
    expect(h.cloud.of('PUT', '/stage')).toEqual([]);
    expect(h.cloud.of('DELETE')).toEqual([]);
  });

  it('prefetch on-stuck: streams the source into the staging area and imports by glance-direct', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'on-stuck' }));
    failing(h);
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha512', DATA) })]);
    const id = createdId(h);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: id, message: 'verified' });
    expect(h.cloud.writesTo(id).slice(0, 4)).toEqual([
      'POST /images/ID/import',
      'POST /images/ID/import',
      'PUT /images/ID/stage',
      'POST /images/ID/import',
    ]);
    expect(h.cloud.of('POST', '/import').map((r) => r.body)).toEqual([
      { name: 'web-download', uri: URL },
      { name: 'web-download', uri: URL },
      { name: 'glance-direct' },
    ]);
    expect(h.cloud.staged.get(id)).toEqual(DATA);
    // One read alongside both web-downloads (verification), one streamed into Glance.
    expect(h.cloud.sourceRequests).toEqual([`HEAD ${URL}`, `GET ${URL}`, `GET ${URL}`]);
    expect(h.cloud.images.get(id)).toMatchObject({ status: 'active', visibility: 'public', size: DATA.length });
    expect(h.warnings().join('\n')).toMatch(/Falling back to streaming/);
  });

  it('prefetch on-stuck but Glance offers no glance-direct: fails and deletes the image', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'on-stuck', methods: ['web-download'] }));
    failing(h, 'mirror unreachable');
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('mirror unreachable'),
    });
    expect(h.cloud.of('PUT', '/stage')).toEqual([]);
    expect(importMethods(h)).toEqual(['web-download', 'web-download']);
    expect(h.cloud.images.size).toBe(0);
  });

  it('an image Glance cannot delete afterwards is named in the result', async () => {
    const h = withSource(harness(server, { prefetch: 'never' }));
    failing(h);
    h.cloud.webDownload = (image) => {
      h.cloud.inUse.add(image.id); // anything that makes the DELETE fail
      return { outcome: { fail: 'bad gateway' } };
    };
    const report = await h.run([importOf(1, WANT)]);
    const id = createdId(h);
    expect(report.results[0]).toMatchObject({ status: 'failed', imageId: id });
    expect(report.results[0]?.message).toContain('bad gateway');
    expect(report.results[0]?.message).toContain(`${id} could not be deleted`);
  });
});

describe('import: checksums', () => {
  it('a sha512 that does not match os_hash_value: failed, deleted, never published', async () => {
    const h = withSource(harness(server));
    const wrong = digest('sha512', bytesOf('other bytes'));
    const report = await h.run([importOf(1, WANT, { checksum: wrong })]);
    const id = createdId(h);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toMatch(/checksum mismatch/);
    expect(report.results[0]?.message).toContain(wrong.hex);
    expect(h.cloud.writesTo(id)).toEqual(['POST /images/ID/import', 'DELETE /images/ID']);
    expect(h.cloud.firstPublic.size).toBe(0);
    expect(h.cloud.images.size).toBe(0);
  });

  it('a matching sha512 in upper case is verified', async () => {
    const h = withSource(harness(server));
    const right = digest('sha512', DATA);
    const report = await h.run([importOf(1, WANT, { checksum: { algo: 'sha512', hex: right.hex.toUpperCase() } })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
  });

  it('md5 is compared against the `checksum` field', async () => {
    const good = withSource(harness(server));
    const done = await good.run([importOf(1, WANT, { checksum: digest('md5', DATA) })]);
    expect(done.results[0]).toMatchObject({ status: 'done', message: 'verified' });

    server.resetHandlers();
    const bad = withSource(harness(server));
    const failed = await bad.run([importOf(1, WANT, { checksum: digest('md5', bytesOf('not it')) })]);
    expect(failed.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/checksum mismatch.*md5/),
    });
    expect(bad.cloud.images.size).toBe(0);
  });

  it('sha256 with web-download: the source read alongside Glance is verified end to end', async () => {
    const h = withSource(harness(server));
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha256', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(report.results[0]?.verification).toEqual({
      state: 'verified',
      detail: "source sha256 = the definition's; Glance's sha512 = the source's",
    });
    expect(importMethods(h)).toEqual(['web-download']);
    expect(h.cloud.images.get(createdId(h))?.visibility).toBe('public');
  });

  it('prefetch always: the stream is hashed and a mismatch fails before the glance-direct import', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    const wrong = digest('sha256', bytesOf('not the image'));
    const report = await h.run([importOf(1, WANT, { checksum: wrong })]);
    const id = createdId(h);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toMatch(/checksum mismatch.*sha256/);
    expect(report.results[0]?.message).toContain(wrong.hex);
    expect(h.cloud.staged.get(id)).toEqual(DATA);
    expect(h.cloud.writesTo(id)).toEqual(['PUT /images/ID/stage', 'DELETE /images/ID']);
    expect(h.cloud.of('POST', '/import')).toEqual([]);
  });

  it('prefetch always: a matching sha256 of the stream counts as verified', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha256', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(importMethods(h)).toEqual(['glance-direct']);
    expect(h.warnings()).toEqual([]);
  });
});

describe('resume-import', () => {
  function resumeOf(image: GlanceImage): ResumeImportAction {
    return {
      kind: 'resume-import',
      seq: 1,
      definition: WANT.definition,
      summary: `finish the import of ${WANT.name}`,
      after: [],
      image,
      desired: WANT,
      source: { from: [{ origin: 'url', url: URL }], checksum: digest('sha512', DATA) },
      // As the planner finishes it: from the image as found, once active, to WANT.
      changes: diffImage(WANT, { ...image, status: 'active' }),
    };
  }

  function leftBehind(h: Harness, status: GlanceImage['status']): GlanceImage {
    return h.cloud.image({
      name: WANT.name,
      status,
      tags: [TAG],
      min_disk: 8,
      min_ram: 512,
      image_name: 'Ubuntu 24.04',
      internal_version: '20240301',
    });
  }

  it("a queued image never imported may be another run's: watched first, and taken as done when that run finishes it", async () => {
    const h = withSource(harness(server));
    const image = h.cloud.seed(leftBehind(h, 'queued'));
    const record = h.cloud.requests.push.bind(h.cloud.requests);
    // The other run imports it while this one looks at its tasks.
    h.cloud.requests.push = (...requests) => {
      if (requests.some((r) => r.method === 'GET' && r.path.endsWith('/tasks'))) {
        const hex = digest('sha512', DATA).hex;
        Object.assign(h.cloud.images.get(image.id) as GlanceImage, {
          status: 'active',
          os_hash_algo: 'sha512',
          os_hash_value: hex,
        });
      }
      return record(...requests);
    };
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'deferred', imageId: image.id });
    expect(h.cloud.of('POST', '/import')).toEqual([]);
    expect(h.cloud.of('DELETE')).toEqual([]);
    expect(h.cloud.of('PATCH')).toEqual([]);
  });

  it('a queued image with no task: starts the import and finishes it', async () => {
    const h = withSource(harness(server));
    const image = h.cloud.seed(leftBehind(h, 'queued'));
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id, message: 'verified' });
    expect(h.cloud.of('POST', '/images')).toEqual([]);
    expect(h.cloud.of('POST', '/import').map((r) => r.body)).toEqual([{ name: 'web-download', uri: URL }]);
    expect(h.cloud.images.get(image.id)).toMatchObject({
      status: 'active',
      visibility: 'public',
      os_purpose: 'generic',
    });
  });

  it('an importing image: waits for it without a new import and finishes it', async () => {
    const h = withSource(harness(server));
    const image = h.cloud.seed(leftBehind(h, 'importing'), {
      running: { method: 'web-download', bytes: DATA, script: { gets: 4 } },
    });
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id, message: 'verified' });
    expect(h.cloud.of('POST', '/import')).toEqual([]);
    expect(h.cloud.writesTo(image.id)).toEqual(['PUT /images/ID/tags/os:ubuntu', 'PATCH /images/ID']);
    expect(h.cloud.images.get(image.id)).toMatchObject({ status: 'active', visibility: 'public' });
  });

  it('an importing image a converting Glance already set to raw: the source still checked as the qcow2 it is', async () => {
    const h = withSource(harness(server));
    h.cloud.stores = (bytes) => ({ bytes: Uint8Array.from(bytes).reverse(), disk_format: 'raw' });
    const image = h.cloud.seed(
      { ...leftBehind(h, 'importing'), disk_format: 'raw' },
      { running: { method: 'web-download', bytes: DATA } },
    );
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({
      status: 'done',
      imageId: image.id,
      verification: { state: 'source-verified', detail: expect.stringMatching(/^source sha512 = the definition's; /) },
    });
    expect(h.cloud.of('DELETE')).toEqual([]);
    expect(h.cloud.images.get(image.id)).toMatchObject({ status: 'active', visibility: 'public' });
  });

  it('a queued image whose import task is still running: waits, no second import', async () => {
    const h = withSource(harness(server));
    const image = h.cloud.seed(leftBehind(h, 'queued'), {
      running: { method: 'web-download', bytes: DATA, script: { status: 'queued', gets: 3 } },
    });
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.cloud.of('POST', '/import')).toEqual([]);
  });

  it('raises min_disk to what the stored image needs once it is in, with a warning', async () => {
    const h = withSource(harness(server));
    const image = h.cloud.seed(
      { ...leftBehind(h, 'importing'), virtual_size: 20 * 1024 ** 3 + 1 },
      {
        running: { method: 'web-download', bytes: DATA },
      },
    );
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.cloud.images.get(image.id)).toMatchObject({ min_disk: 21, status: 'active' });
    expect(h.warnings()).toEqual([expect.stringMatching(/min_disk 8 .* too small .* using 21/)]);
  });

  /** Active, imported by a --no-wait run that never verified it: the record it was created with still pending. */
  function unverified(h: Harness, stored: Uint8Array): GlanceImage {
    const hash = digest('sha512', stored);
    return {
      ...leftBehind(h, 'active'),
      image_verification: 'pending: not verified yet',
      os_hash_algo: 'sha512',
      os_hash_value: hash.hex,
      size: stored.byteLength,
    };
  }

  for (const wait of [true, false]) {
    it(`an active image a --no-wait run left unverified (wait ${wait}): verified before it is published`, async () => {
      const h = withSource(harness(server, { wait }));
      const image = h.cloud.seed(unverified(h, DATA));
      const report = await h.run([resumeOf(image)]);
      expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id, message: 'verified' });
      expect(h.cloud.images.get(image.id)).toMatchObject({
        visibility: 'public',
        image_verification: expect.stringMatching(/^verified: /),
      });
      expect(h.cloud.of('POST', '/import')).toEqual([]);
    });
  }

  it('an active image a --no-wait run left, Glance holding other bytes than the source: never published', async () => {
    const h = withSource(harness(server, { wait: false }));
    const image = h.cloud.seed(unverified(h, bytesOf('other bytes than the source')));
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]?.status).toBe('failed');
    expect(h.cloud.writesTo(image.id).filter((write) => write.startsWith('PATCH'))).toEqual([]);
    expect(h.cloud.images.get(image.id)?.visibility ?? 'deleted').not.toBe('public');
  });

  it('an importing image with --no-wait: deferred, untouched', async () => {
    const h = withSource(harness(server, { wait: false }));
    const image = h.cloud.seed(leftBehind(h, 'importing'), { running: { method: 'web-download', bytes: DATA } });
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'deferred', imageId: image.id });
    expect(h.cloud.writesTo(image.id)).toEqual([]);
    expect(report.counts.failed).toBe(0);
  });

  it('an importing image with prefetch always (--verify-checksum): waits for it rather than deleting it', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    const image = h.cloud.seed(leftBehind(h, 'importing'), { running: { method: 'glance-direct', bytes: DATA } });
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id, message: 'verified' });
    expect(h.cloud.of('DELETE')).toEqual([]);
    expect(h.cloud.of('PUT', '/stage')).toEqual([]);
    expect(h.cloud.images.get(image.id)).toMatchObject({ status: 'active', visibility: 'public' });
  });

  it('prefetch always, the earlier import failed: streams the data again', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    const image = h.cloud.seed(leftBehind(h, 'importing'), {
      running: { method: 'glance-direct', bytes: DATA, script: { outcome: { fail: 'staging store full' } } },
    });
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id, message: 'verified' });
    expect(h.cloud.writesTo(image.id).slice(0, 2)).toEqual(['PUT /images/ID/stage', 'POST /images/ID/import']);
    expect(h.cloud.staged.get(image.id)).toEqual(DATA);
  });

  it('is stuck after stuckAfterMs of (fake) time rather than waited on for the whole import timeout', async () => {
    const h = withSource(harness(server, { stuckRetry: 0, prefetch: 'never', stuckAfterMs: 60_000 }));
    const image = h.cloud.seed(leftBehind(h, 'uploading'));
    const started = h.clock.now();
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/still uploading after 60 s/),
    });
    expect(h.clock.now() - started).toBeLessThan(3_600_000);
    expect(h.cloud.of('DELETE')).toHaveLength(1);
  });
});

describe('import: stuck (queued, no task, stays queued)', () => {
  const stuck = (h: Harness) => {
    h.cloud.webDownload = () => ({ status: 'queued', outcome: 'stay', task: false });
  };

  it('retries only after stuckAfterMs of (fake) time, then fails and deletes the image', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'never', stuckAfterMs: 60_000 }));
    stuck(h);
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toMatch(/still queued after 60 s/);
    const [first, second] = h.cloud.of('POST', '/import');
    expect(second).toBeDefined();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(h.cloud.of('POST', '/import')).toHaveLength(2);
    const deleted = h.cloud.of('DELETE');
    expect(deleted).toHaveLength(1);
    expect((deleted[0]?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(h.cloud.images.size).toBe(0);
  });

  it('prefetch on-stuck: falls back to glance-direct once stuck', async () => {
    const h = withSource(harness(server, { stuckRetry: 0, prefetch: 'on-stuck', stuckAfterMs: 120_000 }));
    stuck(h);
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha512', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(importMethods(h)).toEqual(['web-download', 'glance-direct']);
    const stage = h.cloud.of('PUT', '/stage')[0];
    expect((stage?.at ?? 0) - (h.cloud.of('POST', '/import')[0]?.at ?? 0)).toBeGreaterThanOrEqual(120_000);
    expect(h.cloud.staged.get(report.results[0]?.imageId as string)).toEqual(DATA);
  });

  it('a queued image with an import task running is not stuck, however long it takes', async () => {
    const h = withSource(harness(server, { stuckRetry: 1, prefetch: 'on-stuck', stuckAfterMs: 60_000 }));
    h.cloud.webDownload = () => ({ status: 'queued', ms: 90_000 });
    const started = h.clock.now();
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.clock.now() - started).toBeGreaterThan(60_000);
    expect(importMethods(h)).toEqual(['web-download']);
  });

  it('past the import timeout: fails without retry or fallback, and deletes the image', async () => {
    const h = withSource(harness(server, { stuckRetry: 2, prefetch: 'on-stuck', importTimeoutMs: 30_000 }));
    h.cloud.webDownload = () => ({ outcome: 'stay' });
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/import timeout/) });
    expect(importMethods(h)).toEqual(['web-download']);
    expect(h.cloud.of('PUT', '/stage')).toEqual([]);
    expect(h.cloud.images.size).toBe(0);
  });
});
