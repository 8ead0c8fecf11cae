import { describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { diffImage } from '../../../src/plan/diff.js';
import type { ResumeImportAction } from '../../../src/plan/types.js';
import { versionImageId } from '../../../src/apply/image-ids.js';
import { useMsw } from '../openstack/helpers.js';
import { bytesOf, desired, digest, harness, importOf, PROJECT, SOURCES, TAG, type Harness } from './fake-cloud.js';

const { server } = useMsw();

const URL = `${SOURCES}/20240301.qcow2`;
const DATA = bytesOf('qcow2 bytes of Ubuntu 24.04 built 2024-03-01, long enough to split');
const WANT = desired('Ubuntu 24.04', '20240301');
const CHECKSUM = digest('sha512', DATA);
const TIMEOUT = 1_800_000;
/** These imports take minutes of fake time: the watcher looks every 5 s (the bounds judged are minutes), not 250 ms. */
const MINUTES = { pollMs: 5_000 };

function withSource(h: Harness): Harness {
  h.cloud.sources.set(URL, DATA);
  return h;
}

const importMethods = (h: Harness) => h.cloud.of('POST', '/import').map((r) => (r.body as { name: string }).name);
const createdIds = (h: Harness) => h.cloud.of('POST', '/images').map((r) => (r.body as { id: string }).id);

/** A web-download whose first request is orphaned: the image stays importing, its task processing, unmoved. */
function orphanFirst(h: Harness): void {
  let requests = 0;
  h.cloud.webDownload = () => (requests++ === 0 ? { outcome: 'stay', heartbeat: false } : {});
}

describe('stuck: a new import whose task stops moving (Glance restarted mid-import)', () => {
  it('is stuck once the task has not moved for taskStaleMs: deleted, a fresh image, the retry done', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'never', importTimeoutMs: TIMEOUT }));
    orphanFirst(h);
    const started = h.clock.now();
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM })]);

    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    const [first, second] = createdIds(h);
    expect(first).toBe(versionImageId(PROJECT, WANT, 0));
    // The orphan's id is used up (Glance never gives it out again): the fresh image takes the next one.
    expect(second).toBe(versionImageId(PROJECT, WANT, 1));
    expect(report.results[0]?.imageId).toBe(second);
    expect([...h.cloud.images.keys()]).toEqual([second]);
    expect(h.cloud.writesTo(first!).at(-1)).toBe('DELETE /images/ID');
    expect(h.cloud.images.get(second!)).toMatchObject({ status: 'active', visibility: 'public' });
    expect(importMethods(h)).toEqual(['web-download', 'web-download']);

    const [orphaned] = h.cloud.of('POST', '/import');
    const deleted = h.cloud.of('DELETE')[0];
    expect(deleted!.at - orphaned!.at).toBeGreaterThanOrEqual(600_000);
    expect(h.clock.now() - started).toBeLessThan(TIMEOUT);
    expect(h.warnings().join('\n')).toMatch(/import task task-1 \(processing\) has not moved for 10 min/);
  });

  it('honours taskStaleMs', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'never', taskStaleMs: 300_000 }));
    orphanFirst(h);
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('done');
    const stuckAfter = h.cloud.of('DELETE')[0]!.at - h.cloud.of('POST', '/import')[0]!.at;
    expect(stuckAfter).toBeGreaterThanOrEqual(300_000);
    expect(stuckAfter).toBeLessThan(600_000);
  });

  it('prefetch on-stuck, stuckRetry 0: streams the source into a fresh image by glance-direct', async () => {
    const h = withSource(
      harness(server, { ...MINUTES, stuckRetry: 0, prefetch: 'on-stuck', importTimeoutMs: TIMEOUT }),
    );
    h.cloud.webDownload = () => ({ outcome: 'stay', heartbeat: false });
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM })]);

    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    const [first, second] = createdIds(h);
    expect(report.results[0]?.imageId).toBe(second);
    expect(importMethods(h)).toEqual(['web-download', 'glance-direct']);
    expect(h.cloud.images.has(first!)).toBe(false);
    expect(h.cloud.staged.get(second!)).toEqual(DATA);
    expect(h.cloud.writesTo(second!).slice(0, 2)).toEqual(['PUT /images/ID/stage', 'POST /images/ID/import']);
  });

  it('prefetch never, stuckRetry 0: fails once stuck and deletes the image, long before the import timeout', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 0, prefetch: 'never', importTimeoutMs: TIMEOUT }));
    h.cloud.webDownload = () => ({ outcome: 'stay', heartbeat: false });
    const started = h.clock.now();
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/has not moved for 10 min/),
    });
    expect(report.results[0]?.imageId).toBeUndefined();
    expect(h.cloud.images.size).toBe(0);
    expect(createdIds(h)).toHaveLength(1);
    expect(h.clock.now() - started).toBeLessThan(TIMEOUT);
  });

  it('a task that keeps moving is never stuck, however long the import takes', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'on-stuck', taskStaleMs: 60_000 }));
    h.cloud.webDownload = () => ({ ms: 11 * 60_000 });
    const started = h.clock.now();
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.clock.now() - started).toBeGreaterThan(10 * 60_000);
    expect(importMethods(h)).toEqual(['web-download']);
    expect(h.cloud.of('DELETE')).toEqual([]);
  });
});

describe('stuck: resumed imports (an image an earlier run left importing)', () => {
  function resumeOf(image: GlanceImage): ResumeImportAction {
    return {
      kind: 'resume-import',
      seq: 1,
      definition: WANT.definition,
      summary: `finish the import of ${WANT.name}`,
      after: [],
      image,
      desired: WANT,
      source: { from: [{ origin: 'url', url: URL }], checksum: CHECKSUM },
      changes: diffImage(WANT, { ...image, status: 'active' }),
    };
  }

  function orphan(h: Harness, extra: Partial<GlanceImage> = {}): GlanceImage {
    return h.cloud.image({
      name: WANT.name,
      status: 'importing',
      tags: [TAG],
      min_disk: 8,
      min_ram: 512,
      image_name: 'Ubuntu 24.04',
      internal_version: '20240301',
      ...extra,
    });
  }

  it('an importing image whose task has stopped moving: stuck after taskStaleMs, replaced, imported again', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'never', importTimeoutMs: TIMEOUT }));
    const image = h.cloud.seed(orphan(h), {
      running: { method: 'web-download', bytes: DATA, script: { outcome: 'stay', heartbeat: false } },
    });
    const started = h.clock.now();
    const report = await h.run([resumeOf(image)]);

    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    const fresh = versionImageId(PROJECT, WANT, 0);
    expect(report.results[0]?.imageId).toBe(fresh);
    expect(h.cloud.writesTo(image.id)).toEqual(['DELETE /images/ID']);
    expect([...h.cloud.images.keys()]).toEqual([fresh]);
    expect(h.cloud.images.get(fresh)).toMatchObject({ status: 'active', visibility: 'public', os_purpose: 'generic' });
    expect(importMethods(h)).toEqual(['web-download']);
    expect(h.clock.now() - started).toBeLessThan(TIMEOUT);
  });

  it('an importing image with no live import task: stuck after stuckAfterMs, re-imported by glance-direct', async () => {
    const h = withSource(
      harness(server, { ...MINUTES, stuckRetry: 0, prefetch: 'on-stuck', importTimeoutMs: TIMEOUT }),
    );
    const image = h.cloud.seed(orphan(h));
    // Its last task ended long ago; the image never left `importing`.
    h.cloud.tasks.set(image.id, [
      {
        id: 'task-old',
        type: 'api_image_import',
        status: 'success',
        created_at: '2024-12-31T00:00:00Z',
        updated_at: '2024-12-31T00:10:00Z',
      },
    ]);
    const report = await h.run([resumeOf(image)]);

    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    const fresh = report.results[0]?.imageId as string;
    expect(fresh).not.toBe(image.id);
    expect(h.cloud.images.has(image.id)).toBe(false);
    expect(importMethods(h)).toEqual(['glance-direct']);
    expect(h.cloud.staged.get(fresh)).toEqual(DATA);
    const deleted = h.cloud.of('DELETE')[0]!;
    expect(deleted.at - h.cloud.requests[0]!.at).toBeGreaterThanOrEqual(60_000);
    expect(h.warnings().join('\n')).toMatch(/still importing after 60 s with no import task running/);
  });

  it('a resumed image whose id another run takes meanwhile is left to that run: deferred, no duplicate', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'never' }));
    const image = h.cloud.seed(orphan(h), {
      running: { method: 'web-download', bytes: DATA, script: { outcome: 'stay', heartbeat: false } },
    });
    // Another run created the version's next image while this one waited on the orphan.
    const other = h.cloud.seed(orphan(h, { id: versionImageId(PROJECT, WANT, 0), status: 'queued' }));
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({
      status: 'deferred',
      imageId: other.id,
      message: expect.stringMatching(/another run/),
    });
    expect(h.cloud.writesTo(other.id)).toEqual([]);
    expect([...h.cloud.images.keys()]).toEqual([other.id]);
    expect(report.counts.failed).toBe(0);
  });

  it('a pending task that does not move is given twice the bound before it counts as stuck', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 0, prefetch: 'never', taskStaleMs: 300_000 }));
    const image = h.cloud.seed(orphan(h));
    h.cloud.tasks.set(image.id, [
      {
        id: 'task-waiting',
        type: 'api_image_import',
        status: 'pending',
        created_at: '2025-01-01T00:00:00Z',
        updated_at: '2025-01-01T00:00:00Z',
      },
    ]);
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/import task task-waiting \(pending\) has not moved for 10 min/),
    });
    const deleted = h.cloud.of('DELETE')[0]!;
    expect(deleted.at - h.cloud.requests[0]!.at).toBeGreaterThanOrEqual(600_000);
    expect(h.cloud.images.size).toBe(0);
  });

  it('a stuck image that cannot be deleted is not replaced: the failure names it', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'on-stuck' }));
    const image = h.cloud.seed(orphan(h), {
      running: { method: 'web-download', bytes: DATA, script: { outcome: 'stay', heartbeat: false } },
    });
    h.cloud.inUse.add(image.id);
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      imageId: image.id,
      message: expect.stringMatching(/cannot replace the stuck image .*409/),
    });
    expect(h.cloud.of('POST', '/images')).toEqual([]);
    expect([...h.cloud.images.keys()]).toEqual([image.id]);
  });

  it('Glance without image tasks (API before 2.12): an importing image is waited for, not judged stuck', async () => {
    const h = withSource(harness(server, { ...MINUTES, stuckRetry: 1, prefetch: 'on-stuck', stuckAfterMs: 60_000 }));
    h.cloud.tasksApi = false;
    const image = h.cloud.seed(orphan(h), { running: { method: 'web-download', bytes: DATA, script: { ms: 90_000 } } });
    const started = h.clock.now();
    const report = await h.run([resumeOf(image)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id });
    expect(h.clock.now() - started).toBeGreaterThan(60_000);
    expect(h.cloud.of('DELETE')).toEqual([]);
    expect(h.cloud.of('POST', '/images')).toEqual([]);
  });
});
