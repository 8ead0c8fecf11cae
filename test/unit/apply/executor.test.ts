import { describe, expect, it } from 'vitest';
import type { Change, DeleteAction, RenameAction, UpdateAction } from '../../../src/plan/types.js';
import { useMsw } from '../openstack/helpers.js';
import { bytesOf, desired, harness, importOf, SOURCES, TAG, type FakeCloud } from './fake-cloud.js';

const { server } = useMsw();

function renameOf(
  seq: number,
  definition: string,
  image: RenameAction['image'],
  to: string,
  after: number[],
): RenameAction {
  const changes: Change[] = [{ field: 'name', before: image.name, after: to }];
  return { kind: 'rename', seq, definition, summary: `rename ${image.name} to ${to}`, after, image, to, changes };
}

function deleteOf(
  seq: number,
  definition: string,
  imageId: string,
  name: string,
  after: number[],
  fallback?: DeleteAction['fallback'],
): DeleteAction {
  return {
    kind: 'delete',
    seq,
    definition,
    summary: `delete ${name}`,
    after,
    imageId,
    name,
    reason: 'outdated',
    fallback: fallback ?? [],
  };
}

function updateOf(
  seq: number,
  definition: string,
  imageId: string,
  name: string,
  after: number[],
  changes: Change[] = [{ field: 'properties.os_purpose', before: 'generic', after: 'oldgeneric' }],
): UpdateAction {
  return { kind: 'update', seq, definition, summary: `update ${name}: os_purpose`, after, imageId, name, changes };
}

/** Index in the fake's request log of the first request matching. */
function indexOf(cloud: FakeCloud, match: (r: FakeCloud['requests'][number]) => boolean): number {
  const index = cloud.requests.findIndex(match);
  expect(index, 'request not found').toBeGreaterThanOrEqual(0);
  return index;
}

const isVisibilityPatch = (id: string) => (r: FakeCloud['requests'][number]) =>
  r.method === 'PATCH' &&
  r.imageId === id &&
  (r.body as Array<{ path: string }>).some((op) => op.path === '/visibility');

describe('applyPlan: order and dependencies', () => {
  it('runs import → rename and delete after it: the rename gets the new image id, everything done', async () => {
    const h = harness(server);
    const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG] }));
    const want = desired('Ubuntu 24.04', '20240301');
    h.cloud.sources.set(`${SOURCES}/20240301.qcow2`, bytesOf('the new image'));
    const actions = [
      importOf(1, want),
      renameOf(2, 'Ubuntu 24.04', { importSeq: 1, name: want.name }, 'Ubuntu 24.04', [1]),
      deleteOf(3, 'Ubuntu 24.04', old.id, 'Ubuntu 24.04', [1]),
    ];

    // Room for all three at once: only the dependencies hold the rename and the delete back.
    const report = await h.run(actions, { parallel: 4 });

    expect(report.results.map((r) => [r.seq, r.kind, r.status])).toEqual([
      [1, 'import', 'done'],
      [2, 'rename', 'done'],
      [3, 'delete', 'done'],
    ]);
    expect(report.counts).toEqual({ done: 3, failed: 0, skipped: 0, deferred: 0 });
    const created = h.cloud.of('POST', '/images');
    expect(created).toHaveLength(1);
    const newId = report.results[0]?.imageId as string;
    expect([...h.cloud.images.keys()]).toEqual([newId]);
    expect(report.results[1]?.imageId).toBe(newId);
    expect(h.cloud.images.get(newId)).toMatchObject({ name: 'Ubuntu 24.04', status: 'active', visibility: 'public' });

    // Neither the rename nor the delete starts before the import is finished and published.
    const published = indexOf(h.cloud, isVisibilityPatch(newId));
    const renamed = indexOf(
      h.cloud,
      (r) => r.method === 'PATCH' && r.imageId === newId && JSON.stringify(r.body).includes('"/name"'),
    );
    const deleted = indexOf(h.cloud, (r) => r.method === 'DELETE' && r.imageId === old.id);
    expect(renamed).toBeGreaterThan(published);
    expect(deleted).toBeGreaterThan(published);
  });

  it('a rotation: the old image renamed away, then the imported one takes the plain name', async () => {
    const h = harness(server);
    const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG] }));
    const want = desired('Ubuntu 24.04', '20240301');
    h.cloud.sources.set(`${SOURCES}/20240301.qcow2`, bytesOf('the new image'));
    const actions = [
      importOf(1, want),
      renameOf(2, 'Ubuntu 24.04', { imageId: old.id, name: 'Ubuntu 24.04' }, 'Ubuntu 24.04 (20240101)', [1]),
      // `after` names the old image's rename first: the import's result must be found by its seq.
      renameOf(3, 'Ubuntu 24.04', { importSeq: 1, name: want.name }, 'Ubuntu 24.04', [2, 1]),
    ];
    const report = await h.run(actions, { parallel: 3 });
    expect(report.counts).toEqual({ done: 3, failed: 0, skipped: 0, deferred: 0 });
    const newId = report.results[0]?.imageId as string;
    expect(report.results.map((r) => r.imageId)).toEqual([newId, old.id, newId]);
    expect(h.cloud.images.get(old.id)?.name).toBe('Ubuntu 24.04 (20240101)');
    expect(h.cloud.images.get(newId)?.name).toBe('Ubuntu 24.04');
    const awayAt = indexOf(h.cloud, (r) => r.method === 'PATCH' && r.imageId === old.id);
    const plainAt = indexOf(
      h.cloud,
      (r) => r.method === 'PATCH' && r.imageId === newId && JSON.stringify(r.body).includes('"/name"'),
    );
    expect(plainAt).toBeGreaterThan(awayAt);
  });

  it('a rename of an existing image uses that image id', async () => {
    const h = harness(server);
    const existing = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG] }));
    const report = await h.run([
      renameOf(1, 'Debian 12', { imageId: existing.id, name: 'Debian 12' }, 'Debian 12 (20240101)', []),
    ]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: existing.id });
    expect(h.cloud.images.get(existing.id)?.name).toBe('Debian 12 (20240101)');
  });

  it('a 404 source: no image created, later actions skipped, another definition still done', async () => {
    const h = harness(server);
    const missing = `${SOURCES}/gone-20240301.qcow2`;
    const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG] }));
    const older = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04 (20231201)', tags: [TAG] }));
    const ubuntu = desired('Ubuntu 24.04', '20240301');
    const debian = desired('Debian 12', '20240115');
    h.cloud.sources.set(`${SOURCES}/20240115.qcow2`, bytesOf('debian'));
    const actions = [
      importOf(1, ubuntu, { url: missing }),
      renameOf(2, 'Ubuntu 24.04', { importSeq: 1, name: ubuntu.name }, 'Ubuntu 24.04', [1]),
      deleteOf(3, 'Ubuntu 24.04', old.id, 'Ubuntu 24.04', [1]),
      updateOf(4, 'Ubuntu 24.04', older.id, 'Ubuntu 24.04 (20231201)', [2]),
      importOf(5, debian),
    ];

    const report = await h.run(actions, { parallel: 2 });

    const [imported, renamed, removed, updated, other] = report.results;
    expect(imported?.status).toBe('failed');
    expect(imported?.message).toContain(missing);
    expect(imported?.message).toContain('404');
    expect(imported?.imageId).toBeUndefined();
    expect([renamed?.status, removed?.status, updated?.status]).toEqual(['skipped', 'skipped', 'skipped']);
    expect(renamed?.message).toMatch(/#1/);
    expect(updated?.message).toMatch(/#2/);
    expect(other?.status).toBe('done');
    expect(report.counts).toEqual({ done: 1, failed: 1, skipped: 3, deferred: 0 });

    // The only image created is the Debian one; nothing of Ubuntu was touched.
    const posts = h.cloud.of('POST', '/images');
    expect(posts.map((r) => (r.body as { name: string }).name)).toEqual(['Debian 12 (20240115)']);
    expect(h.cloud.sourceRequests.filter((r) => r.includes('gone'))).toEqual([`HEAD ${missing}`]);
    expect(h.cloud.writesTo(old.id)).toEqual([]);
    expect(h.cloud.writesTo(older.id)).toEqual([]);
    expect(h.cloud.images.has(old.id)).toBe(true);
  });
});

describe('applyPlan: --no-wait', () => {
  it('starts the import and defers what comes after it; nothing fails', async () => {
    const h = harness(server, { wait: false });
    const old = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04', visibility: 'public', tags: [TAG] }));
    const other = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG] }));
    const want = desired('Ubuntu 24.04', '20240301');
    h.cloud.sources.set(`${SOURCES}/20240301.qcow2`, bytesOf('the new image'));
    const actions = [
      importOf(1, want),
      renameOf(2, 'Ubuntu 24.04', { importSeq: 1, name: want.name }, 'Ubuntu 24.04', [1]),
      deleteOf(3, 'Ubuntu 24.04', old.id, 'Ubuntu 24.04', [1]),
      updateOf(4, 'Ubuntu 24.04', old.id, 'Ubuntu 24.04', [2]),
      updateOf(5, 'Debian 12', other.id, 'Debian 12', []),
    ];

    const report = await h.run(actions, { parallel: 2 });

    expect(h.cloud.of('POST', '/images')).toHaveLength(1);
    const newId = [...h.cloud.images.keys()].find((id) => id !== old.id && id !== other.id);
    expect(h.cloud.images.get(newId as string)?.name).toBe(want.name);
    expect(report.results.map((r) => r.status)).toEqual(['deferred', 'deferred', 'deferred', 'deferred', 'done']);
    expect(report.results[0]).toMatchObject({ imageId: newId, message: expect.stringMatching(/not waited/) });
    expect(report.results[1]?.message).toMatch(/waits for #1/);
    expect(report.results[3]?.message).toMatch(/waits for #2/);
    expect(report.counts).toEqual({ done: 1, failed: 0, skipped: 0, deferred: 4 });

    // The import was requested and left running: no polling to the end, no finishing touches, no delete.
    expect(h.cloud.writesTo(newId as string)).toEqual(['POST /images/ID/import']);
    expect(h.cloud.images.get(newId as string)).toMatchObject({ status: 'importing', visibility: 'private' });
    expect(h.cloud.images.has(old.id)).toBe(true);
    expect(h.cloud.writesTo(old.id)).toEqual([]);
  });
});

describe('applyPlan: update', () => {
  it('writes the changes as one PATCH (property names escaped), then the tags, then the status', async () => {
    const h = harness(server);
    const image = h.cloud.seed(
      h.cloud.image({
        name: 'Debian 12',
        tags: [TAG, 'legacy'],
        min_ram: 128,
        hw_rng_model: 'virtio',
        'trait:CUSTOM/X': 'forbidden',
      }),
    );
    const changes: Change[] = [
      { field: 'min_ram', before: 128, after: 512 },
      { field: 'properties.trait:CUSTOM/X', before: 'forbidden', after: 'required' },
      { field: 'properties.hw_rng_model', before: 'virtio', after: null },
      { field: 'tags', before: [TAG, 'legacy'], after: [TAG, 'os:debian'] },
      { field: 'status', before: 'active', after: 'deactivated' },
    ];
    const report = await h.run([updateOf(1, 'Debian 12', image.id, 'Debian 12', [], changes)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id });
    expect(h.cloud.writesTo(image.id)).toEqual([
      'PATCH /images/ID',
      'PUT /images/ID/tags/os:debian',
      'DELETE /images/ID/tags/legacy',
      'POST /images/ID/actions/deactivate',
    ]);
    expect(h.cloud.of('PATCH').map((r) => r.body)).toEqual([
      [
        { op: 'replace', path: '/min_ram', value: 512 },
        { op: 'add', path: '/trait:CUSTOM~1X', value: 'required' },
        { op: 'remove', path: '/hw_rng_model' },
      ],
    ]);
    const updated = h.cloud.images.get(image.id);
    expect(updated).toMatchObject({ min_ram: 512, 'trait:CUSTOM/X': 'required', status: 'deactivated' });
    expect(updated).not.toHaveProperty('hw_rng_model');
    expect(updated?.tags.sort()).toEqual(['os:debian', TAG].sort());
  });
});

describe('applyPlan: delete', () => {
  it('deletes an image that is not in use', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04 (20230101)', tags: [TAG] }));
    const fallback: Change[] = [
      { field: 'visibility', before: 'private', after: 'community' },
      { field: 'status', before: 'active', after: 'deactivated' },
    ];
    const report = await h.run([deleteOf(1, 'Ubuntu 24.04', image.id, image.name as string, [], fallback)]);
    expect(report.results[0]).toMatchObject({ status: 'done', imageId: image.id });
    expect(report.results[0]?.message).toBeUndefined();
    expect(h.cloud.writesTo(image.id)).toEqual(['DELETE /images/ID']);
    expect(h.cloud.images.has(image.id)).toBe(false);
  });

  it('hides and deactivates an image in use (409) instead, and reports it done with a message', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'Ubuntu 24.04 (20230101)', visibility: 'public', tags: [TAG] }));
    h.cloud.inUse.add(image.id);
    const fallback: Change[] = [
      { field: 'visibility', before: 'public', after: 'community' },
      { field: 'os_hidden', before: false, after: true },
      { field: 'status', before: 'active', after: 'deactivated' },
    ];
    const report = await h.run([deleteOf(1, 'Ubuntu 24.04', image.id, image.name as string, [], fallback)]);
    expect(report.results[0]).toMatchObject({
      status: 'done',
      imageId: image.id,
      message: expect.stringMatching(/in use/),
    });
    expect(h.cloud.writesTo(image.id)).toEqual([
      'DELETE /images/ID',
      'PATCH /images/ID',
      'POST /images/ID/actions/deactivate',
    ]);
    expect(h.cloud.of('PATCH').map((r) => r.body)).toEqual([
      [
        { op: 'replace', path: '/visibility', value: 'community' },
        { op: 'replace', path: '/os_hidden', value: true },
      ],
    ]);
    expect(h.cloud.images.get(image.id)).toMatchObject({
      visibility: 'community',
      os_hidden: true,
      status: 'deactivated',
    });
    expect(report.counts.failed).toBe(0);
  });

  it('in use without --deactivate: hides only', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'old', visibility: 'public', tags: [TAG] }));
    h.cloud.inUse.add(image.id);
    const fallback: Change[] = [{ field: 'visibility', before: 'public', after: 'community' }];
    const report = await h.run([deleteOf(1, 'd', image.id, 'old', [], fallback)]);
    expect(report.results[0]?.status).toBe('done');
    expect(h.cloud.writesTo(image.id)).toEqual(['DELETE /images/ID', 'PATCH /images/ID']);
    expect(h.cloud.images.get(image.id)?.status).toBe('active');
  });

  it('another refusal (403: protected) fails the action and is not hidden', async () => {
    const h = harness(server);
    const image = h.cloud.seed(h.cloud.image({ name: 'old', visibility: 'public', protected: true, tags: [TAG] }));
    const fallback: Change[] = [
      { field: 'visibility', before: 'public', after: 'community' },
      { field: 'status', before: 'active', after: 'deactivated' },
    ];
    const report = await h.run([deleteOf(1, 'd', image.id, 'old', [], fallback)]);
    expect(report.results[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('403') });
    expect(h.cloud.writesTo(image.id)).toEqual(['DELETE /images/ID']);
    expect(report.counts).toEqual({ done: 0, failed: 1, skipped: 0, deferred: 0 });
  });
});

describe('applyPlan: what runs at once', () => {
  /** `count` independent imports of distinct images, their sources served. */
  function imports(h: ReturnType<typeof harness>, count: number) {
    return Array.from({ length: count }, (_, i) => {
      const version = `2024${String(i + 1).padStart(4, '0')}`;
      h.cloud.sources.set(`${SOURCES}/${version}.qcow2`, bytesOf(`image ${i}`));
      return importOf(i + 1, desired(`Image ${i}`, version));
    });
  }

  it.each([
    [2, 2],
    [1, 1],
    [8, 5],
  ])(
    'maxImporting %i: at most %i of 5 imports in flight on the Glance side (whatever --parallel)',
    async (most, expected) => {
      const h = harness(server);
      const actions = imports(h, 5);
      // An import ends only once `expected` were in flight at once: fewer would never finish.
      h.cloud.webDownload = () => ({ until: () => h.cloud.maxInFlight >= expected });

      const report = await h.run(actions, { parallel: 1, maxImporting: most });

      expect(report.counts).toEqual({ done: 5, failed: 0, skipped: 0, deferred: 0 });
      expect(h.cloud.maxInFlight).toBe(expected);
      const ids = report.results.map((r) => r.imageId as string);
      expect(new Set(ids).size).toBe(5);
      for (const id of ids) expect(h.cloud.images.get(id)).toMatchObject({ status: 'active', visibility: 'public' });
    },
  );

  it('waiting holds no slot: with --parallel 1, five imports wait at once and an update runs meanwhile', async () => {
    const h = harness(server);
    const other = h.cloud.seed(h.cloud.image({ name: 'Debian 12', tags: [TAG], os_purpose: 'generic' }));
    h.cloud.webDownload = () => ({ until: () => h.cloud.maxInFlight >= 5 && h.cloud.of('PATCH').length > 0 });

    const report = await h.run([...imports(h, 5), updateOf(6, 'Debian 12', other.id, 'Debian 12', [])], {
      parallel: 1,
    });

    expect(report.counts).toEqual({ done: 6, failed: 0, skipped: 0, deferred: 0 });
    expect(h.cloud.maxInFlight).toBe(5);
    // The update was written while every import still waited.
    const updated = indexOf(h.cloud, (r) => r.method === 'PATCH' && r.imageId === other.id);
    const firstFinished = indexOf(h.cloud, (r) => r.method === 'PATCH' && r.imageId !== other.id);
    expect(updated).toBeLessThan(firstFinished);
  });

  it('13 imports in flight: one listing per watcher tick shows them all; no image is polled by itself', async () => {
    const h = harness(server);
    const actions = imports(h, 13);
    // Every import ends at the first tick that watches all 13.
    h.cloud.webDownload = () => ({ until: () => (h.cloud.listings().at(-1)?.body.ids?.length ?? 0) >= 13 });

    const report = await h.run(actions, { parallel: 4 });

    expect(report.counts).toEqual({ done: 13, failed: 0, skipped: 0, deferred: 0 });
    const ids = report.results.map((r) => r.imageId as string);
    const listings = h.cloud.listings();
    // One listing a tick (the fake clock moves on only between ticks), every id in it once.
    expect(new Set(listings.map((l) => l.at)).size).toBe(listings.length);
    for (const listing of listings) expect(new Set(listing.body.ids).size).toBe(listing.body.ids?.length);
    // The tick that saw all 13 in flight saw them in one request.
    expect(listings.some((l) => ids.every((id) => l.body.ids?.includes(id)))).toBe(true);
    expect(h.cloud.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/images/'))).toEqual([]);
    expect(h.cloud.maxInFlight).toBe(13);
  });

  it('--parallel bounds the uploads through this tool (glance-direct), not the imports that follow them', async () => {
    const h = harness(server, { prefetch: 'always' });
    const actions = imports(h, 4);
    h.cloud.glanceDirect = () => ({ until: () => h.cloud.maxInFlight >= 4 });

    const report = await h.run(actions, { parallel: 2, maxImporting: 16 });

    expect(report.counts).toEqual({ done: 4, failed: 0, skipped: 0, deferred: 0 });
    expect(h.cloud.of('PUT', '/stage')).toHaveLength(4);
    expect(h.cloud.maxUploading).toBe(2);
    expect(h.cloud.maxInFlight).toBe(4);
  });
});
