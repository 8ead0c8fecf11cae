import { describe, expect, it } from 'vitest';
import { IMAGE_ID_NAMESPACE, uuidV5, versionImageId } from '../../../src/apply/image-ids.js';
import type { Action, Change, DeleteAction, RenameAction, UpdateAction } from '../../../src/plan/types.js';
import { diffImage } from '../../../src/plan/diff.js';
import { useMsw } from '../openstack/helpers.js';
import { bytesOf, desired, digest, harness, importOf, PROJECT, SOURCES, TAG, type Harness } from './fake-cloud.js';

const { server } = useMsw();

const URL = `${SOURCES}/20240301.qcow2`;
const DATA = bytesOf('qcow2 bytes of Ubuntu 24.04 built 2024-03-01, long enough to split');
const WANT = desired('Ubuntu 24.04', '20240301');
const CHECKSUM = digest('sha512', DATA);
const ID0 = versionImageId(PROJECT, WANT, 0);
const IMAGE_PATH = /^\/images\/[^/]+$/;

function withSource(h: Harness): Harness {
  h.cloud.sources.set(URL, DATA);
  return h;
}

const createdIds = (h: Harness) => h.cloud.of('POST', '/images').map((r) => (r.body as { id?: string }).id);
const ofVersion = (h: Harness) =>
  [...h.cloud.images.values()].filter((image) => image.internal_version === WANT.version);

/** The image of WANT as another run creates it. */
function othersImage(h: Harness, status: 'queued' | 'importing' | 'active', id = ID0) {
  return h.cloud.image({
    id,
    name: WANT.name,
    status,
    tags: [TAG],
    image_name: 'Ubuntu 24.04',
    internal_version: '20240301',
  });
}

describe('deterministic image ids', () => {
  it("uuidV5 is RFC 9562's version 5 (the DNS namespace example)", () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('the id is uuid5(namespace, "project\\nimage_name\\ninternal_version\\nposition"), different in every part', () => {
    expect(ID0).toBe(uuidV5(`${PROJECT}\nUbuntu 24.04\n20240301\n0`, IMAGE_ID_NAMESPACE));
    expect(ID0).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [
      versionImageId('p-2', WANT, 0),
      versionImageId(PROJECT, desired('Ubuntu 22.04', '20240301'), 0),
      versionImageId(PROJECT, desired('Ubuntu 24.04', '20240302'), 0),
      versionImageId(PROJECT, WANT, 1),
    ];
    expect(new Set([ID0, ...others]).size).toBe(5);
  });

  it('a new image is created with the first id of its sequence', async () => {
    const h = withSource(harness(server));
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM })]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: ID0 });
    expect(createdIds(h)).toEqual([ID0]);
  });

  it('ids of deleted images are used up: the create moves on along the sequence', async () => {
    const h = withSource(harness(server));
    h.cloud.deletedIds.add(ID0);
    h.cloud.deletedIds.add(versionImageId(PROJECT, WANT, 1));
    const report = await h.run([importOf(1, WANT)]);
    const id2 = versionImageId(PROJECT, WANT, 2);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: id2 });
    expect(createdIds(h)).toEqual([ID0, versionImageId(PROJECT, WANT, 1), id2]);
    expect([...h.cloud.images.keys()]).toEqual([id2]);
  });

  it("the definition's fixed id: used as given; used up, a clear failure and no image", async () => {
    const fixed = '5b4c7a0e-8f7e-4c55-9d7a-1f7d6d3c2b10';
    const h = withSource(harness(server));
    const action = importOf(1, WANT);
    const report = await h.run([{ ...action, source: { ...action.source, id: fixed } }]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: fixed });

    server.resetHandlers();
    const again = withSource(harness(server));
    again.cloud.deletedIds.add(fixed);
    const failed = await again.run([{ ...action, source: { ...action.source, id: fixed } }]);
    expect(failed.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/id 5b4c7a0e-.* its definition fixes.*never reuses/),
    });
    expect(again.cloud.images.size).toBe(0);
  });

  it('without a project id, Glance chooses the id', async () => {
    const h = withSource(harness(server, { projectId: undefined }));
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('done');
    expect(createdIds(h)).toEqual([undefined]);
  });
});

describe('two runs, one cloud (two hosts, or one cloud under two names): one image per version', () => {
  it.each(['queued', 'importing', 'active'] as const)(
    "another run's image of the version at our id (%s): none created, none touched, deferred",
    async (status) => {
      const h = withSource(harness(server));
      h.cloud.seed(othersImage(h, status));
      const report = await h.run([importOf(1, WANT), renameOf(2, ID0)]);
      expect(report.results[0]).toMatchObject({
        status: 'deferred',
        imageId: ID0,
        message: expect.stringMatching(/another run is importing Ubuntu 24\.04 \(20240301\)/),
      });
      expect(report.results[1]?.status).toBe('deferred');
      expect(report.counts).toEqual({ done: 0, failed: 0, skipped: 0, deferred: 2 });
      expect(h.cloud.writesTo(ID0)).toEqual([]);
      expect(h.cloud.of('POST', '/import')).toEqual([]);
      expect(ofVersion(h)).toHaveLength(1);
    },
  );

  it('a rotation planned by two runs at once: one new image, one public name; the loser defers', async () => {
    const h = withSource(harness(server));
    const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG] }));
    const plan = (): Action[] => [
      importOf(1, WANT),
      renameOf(2, undefined, { imageId: old.id, name: 'Ubuntu 24.04' }, 'Ubuntu 24.04 (20240101)', [1]),
      renameOf(3, undefined, { importSeq: 1, name: WANT.name }, 'Ubuntu 24.04', [1, 2]),
    ];
    const [a, b] = await Promise.all([h.run(plan()), h.run(plan())]);

    const reports = [a!, b!];
    expect(reports.map((r) => r.counts.failed)).toEqual([0, 0]);
    const winner = reports.find((r) => r.results[0]?.status === 'done')!;
    const loser = reports.find((r) => r.results[0]?.status === 'deferred')!;
    expect(winner.counts).toMatchObject({ done: 3 });
    expect(loser.results[0]?.message).toMatch(/another run/);
    expect(loser.results.map((r) => r.status)).toEqual(['deferred', 'deferred', 'deferred']);
    expect(ofVersion(h).map((image) => image.id)).toEqual([ID0]);
    const names = [...h.cloud.images.values()].map((image) => image.name).sort();
    expect(names).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 (20240101)']);
  });
});

describe('lost answers', () => {
  it('a create whose answer was lost after Glance made the image: asked again with the same id, continued', async () => {
    const h = withSource(harness(server));
    h.cloud.faults.push({ method: 'POST', path: '/images', lose: 'after' });
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM })]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: ID0, message: 'verified' });
    expect(new Set(createdIds(h))).toEqual(new Set([ID0]));
    expect([...h.cloud.images.keys()]).toEqual([ID0]);
    expect(h.cloud.images.get(ID0)).toMatchObject({ status: 'active', visibility: 'public' });
  });

  it('a create answered 503 before Glance saw it: sent again with the same id', async () => {
    const h = withSource(harness(server));
    h.cloud.faults.push({ method: 'POST', path: '/images', lose: 'before' });
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: ID0 });
    expect(h.cloud.lostAnswers).toEqual(['POST /images before']);
    expect([...h.cloud.images.keys()]).toEqual([ID0]);
  });

  it('an import request whose answer was lost after Glance took it is not sent again', async () => {
    const h = withSource(harness(server));
    h.cloud.faults.push({ method: 'POST', path: '/import', lose: 'after' });
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(h.cloud.of('POST', '/import')).toHaveLength(1);
    expect(h.cloud.tasks.get(ID0)).toHaveLength(1);
  });

  it('an import request lost before Glance saw it (no task, still queued) is sent again', async () => {
    const h = withSource(harness(server));
    h.cloud.faults.push({ method: 'POST', path: '/import', lose: 'before' });
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.cloud.lostAnswers).toEqual([`POST /images/${ID0}/import before`]);
    expect(h.cloud.of('POST', '/import')).toHaveLength(1);
    expect(h.cloud.tasks.get(ID0)).toHaveLength(1);
  });

  it("the DELETE of a failed import whose answer was lost: the repeat's 404 means deleted, nothing left behind", async () => {
    const h = withSource(harness(server, { prefetch: 'never' }));
    h.cloud.webDownload = () => ({ outcome: { fail: 'HTTP 403 from the mirror' } });
    h.cloud.faults.push({ method: 'DELETE', path: IMAGE_PATH, lose: 'after' });
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('HTTP 403') });
    expect(report.results[0]?.message).not.toMatch(/could not be deleted/);
    expect(report.results[0]?.imageId).toBeUndefined();
    expect(h.cloud.images.size).toBe(0);
  });

  it('a staged upload whose answer was lost after Glance took the data is not uploaded again', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    h.cloud.faults.push({ method: 'PUT', path: '/stage', lose: 'after' });
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha256', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(h.cloud.sourceRequests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
    expect(h.cloud.staged.get(ID0)).toEqual(DATA);
  });

  it('a staged upload lost before Glance saw it (still queued) is uploaded again', async () => {
    const h = withSource(harness(server, { prefetch: 'always' }));
    h.cloud.faults.push({ method: 'PUT', path: '/stage', lose: 'before' });
    const report = await h.run([importOf(1, WANT, { checksum: digest('sha256', DATA) })]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'verified' });
    expect(h.cloud.sourceRequests.filter((r) => r.startsWith('GET'))).toHaveLength(2);
    expect(h.cloud.staged.get(ID0)).toEqual(DATA);
  });
});

describe('the create or the final update of a new image fails', () => {
  it("Glance's property quota (413): the create is refused, nothing is created, the failure says why", async () => {
    const h = withSource(harness(server));
    h.cloud.propertyQuota = 5;
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM }), renameOf(2, ID0)]);
    expect(report.results[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/413/) });
    expect(report.results[0]?.imageId).toBeUndefined();
    expect(report.results[1]?.status).toBe('skipped');
    expect(h.cloud.of('POST', '/import')).toEqual([]);
    expect(h.cloud.images.size).toBe(0);
  });

  /** Glance refuses the final PATCH (403: a project without the right to publish images). */
  const refusePublishing = (h: Harness) =>
    h.cloud.faults.push({ method: 'PATCH', path: IMAGE_PATH, lose: 'before', status: 403, times: 5 });

  it('the final PATCH refused after the import: the image is deleted, the failure says why', async () => {
    const h = withSource(harness(server));
    refusePublishing(h);
    const report = await h.run([importOf(1, WANT, { checksum: CHECKSUM }), renameOf(2, ID0)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/could not finish Ubuntu 24\.04 \(20240301\) after its import: .*403/),
    });
    expect(report.results[0]?.imageId).toBeUndefined();
    expect(report.results[1]?.status).toBe('skipped');
    expect(h.cloud.writesTo(ID0).at(-1)).toBe('DELETE /images/ID');
    expect(h.cloud.images.size).toBe(0);
    expect(h.cloud.firstPublic.size).toBe(0);
  });

  it('and the image cannot be deleted: the failure names it as left behind', async () => {
    const h = withSource(harness(server));
    refusePublishing(h);
    h.cloud.inUse.add(ID0);
    const report = await h.run([importOf(1, WANT)]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      imageId: ID0,
      message: expect.stringMatching(/403.*the unfinished image .* could not be deleted/),
    });
    expect(h.cloud.images.get(ID0)).toMatchObject({ status: 'active', visibility: 'private' });
  });
});

describe('the final update of a resumed image fails', () => {
  it("the image, which may be another run's, is never deleted: the failure names it as left as it is", async () => {
    const h = withSource(harness(server));
    h.cloud.propertyQuota = 5;
    const image = h.cloud.seed(othersImage(h, 'active'));
    const resume: Action = {
      kind: 'resume-import',
      seq: 1,
      definition: WANT.definition,
      summary: `finish the import of ${WANT.name}`,
      after: [],
      image: { ...image, status: 'importing' },
      desired: WANT,
      source: { from: [{ origin: 'url', url: URL }], checksum: CHECKSUM },
      changes: diffImage(WANT, image),
    };
    const report = await h.run([resume]);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      imageId: ID0,
      message: expect.stringMatching(/413.*left as it is/),
    });
    expect(h.cloud.of('DELETE')).toEqual([]);
    expect(h.cloud.images.get(ID0)?.status).toBe('active');
  });
});

describe('executor: outcomes of repeated requests', () => {
  it("a tag DELETE whose answer was lost: the repeat's 404 means the tag is gone, done", async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG, 'legacy'] }));
    h.cloud.faults.push({ method: 'DELETE', path: '/tags/legacy', lose: 'after' });
    const changes: Change[] = [{ field: 'tags', before: [TAG, 'legacy'], after: [TAG] }];
    const report = await h.run([updateOf(1, image.id, changes)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id });
    expect(h.cloud.images.get(image.id)?.tags).toEqual([TAG]);
  });

  it('a PATCH removing a property that is gone already (409): read back, as wanted, done', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG], os_purpose: 'generic' }));
    const changes: Change[] = [
      { field: 'properties.hw_rng_model', before: 'virtio', after: null },
      { field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' },
    ];
    // Another run (or this run's lost first answer) applied the same patch.
    h.cloud.images.get(image.id)!.os_purpose = 'oldgeneric';
    const report = await h.run([updateOf(1, image.id, changes)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id });
  });

  it('a PATCH refused 409 whose changes are not in place still fails', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG], os_purpose: 'generic' }));
    const changes: Change[] = [
      { field: 'properties.hw_rng_model', before: 'virtio', after: null },
      { field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' },
    ];
    const report = await h.run([updateOf(1, image.id, changes)]);
    expect(report.results[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('409') });
  });

  it.each([2, 3, 4, 5])(
    'behind a proxy answering every %ith request 503 (before or after Glance): nothing fails, no duplicate',
    async (every) => {
      const h = withSource(harness(server, { stuckRetry: 1 }));
      const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG, 'legacy'] }));
      const older = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04 (20231201)', tags: [TAG] }));
      const debian = desired('Debian 12', '20240115');
      h.cloud.sources.set(`${SOURCES}/20240115.qcow2`, bytesOf('debian'));
      h.cloud.flakyEvery = every;
      const actions: Action[] = [
        importOf(1, WANT, { checksum: CHECKSUM }),
        renameOf(2, undefined, { imageId: old.id, name: 'Ubuntu 24.04' }, 'Ubuntu 24.04 (20240101)', [1]),
        renameOf(3, undefined, { importSeq: 1, name: WANT.name }, 'Ubuntu 24.04', [1, 2]),
        updateOf(4, old.id, [{ field: 'tags', before: [TAG, 'legacy'], after: [TAG] }], [2]),
        deleteOf(5, older.id, [3]),
        importOf(6, debian),
      ];
      const report = await h.run(actions, { parallel: 2 });

      expect(h.cloud.lostAnswers.length).toBeGreaterThanOrEqual(Math.floor(h.cloud.requests.length / every) - 1);
      expect(h.cloud.lostAnswers.filter((lost) => !lost.startsWith('GET')).length).toBeGreaterThanOrEqual(1);
      expect(report.results.filter((r) => r.status !== 'done')).toEqual([]);
      expect(ofVersion(h)).toHaveLength(1);
      const names = [...h.cloud.images.values()].map((image) => image.name).sort();
      expect(names).toEqual(['Debian 12 (20240115)', 'Ubuntu 24.04', 'Ubuntu 24.04 (20240101)']);
      expect(h.cloud.images.get(old.id)?.tags).toEqual([TAG]);
    },
  );
});

function renameOf(
  seq: number,
  imageId?: string,
  ref: RenameAction['image'] = { imageId: imageId ?? '', name: WANT.name },
  to = 'Ubuntu 24.04',
  after: number[] = [1],
): RenameAction {
  const changes: Change[] = [{ field: 'name', before: ref.name, after: to }];
  return {
    kind: 'rename',
    seq,
    definition: 'Ubuntu 24.04',
    summary: `rename to ${to}`,
    after,
    image: ref,
    to,
    changes,
  };
}

function updateOf(seq: number, imageId: string, changes: Change[], after: number[] = []): UpdateAction {
  return { kind: 'update', seq, definition: 'd', summary: `update ${imageId}`, after, imageId, name: 'n', changes };
}

function deleteOf(seq: number, imageId: string, after: number[]): DeleteAction {
  return {
    kind: 'delete',
    seq,
    definition: 'Ubuntu 24.04',
    summary: `delete ${imageId}`,
    after,
    imageId,
    name: 'old',
    reason: 'outdated',
    fallback: [],
  };
}
