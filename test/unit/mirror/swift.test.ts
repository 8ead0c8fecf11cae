import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mirrorAll, mirrorFailed } from '../../../src/mirror/mirror.js';
import { SEGMENT_PREFIX, SwiftStore } from '../../../src/mirror/swift-store.js';
import { Session } from '../../../src/openstack/identity.js';
import { SwiftClient } from '../../../src/openstack/object-store.js';
import type { CatalogEntry } from '../../../src/openstack/identity.js';
import { catalogWithImage, keystoneTokens, makeCloud, makeHttp, passwordAuth, useMsw } from '../openstack/helpers.js';
import { fakeSwift, SWIFT } from './fake-stores.js';
import { bytes, definition, request, sha256, UPSTREAM, upstream, version } from './support.js';

const { server } = useMsw();
const NAME = 'demo/1.0-demo.raw';

function swiftStore(url = SWIFT) {
  const catalog: CatalogEntry[] = [
    ...catalogWithImage(),
    { type: 'object-store', name: 'swift', endpoints: [{ interface: 'public', region_id: 'RegionOne', url }] },
  ];
  server.use(keystoneTokens({ catalog }).handler);
  const t = makeHttp();
  const session = new Session(t.http, makeCloud(passwordAuth()));
  const fake = fakeSwift(server);
  return { fake, store: new SwiftStore(new SwiftClient(session), 'images', t.clock), clock: t.clock };
}

describe('mirror into Swift', () => {
  it('gives the object’s URL with its name encoded, as a run derives it (a space, a #)', async () => {
    const { store } = swiftStore();
    expect(await store.urlOf('demo/1.0 #2-demo.raw')).toBe(`${SWIFT}/images/demo/1.0%20%232-demo.raw`);
  });

  it('streams a version in segments and commits the SLO manifest, marked, named as OIM names it', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(2500);
    upstream(server, { '1.0.raw': data });
    const { req } = request(store, [definition('demo', [version('1.0', sha256(data))])]);
    const report = await mirrorAll(req);
    expect(report.objects).toMatchObject([{ action: 'copied', size: 2500, mirrorUrl: `${SWIFT}/images/${NAME}` }]);
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    expect(object?.meta).toEqual({ 'image-manager': 'mirror', checksum: `sha256:${sha256(data)}` });
    expect(object?.segments).toHaveLength(3);
    expect(object?.segments?.every((s) => s.startsWith(`images/${SEGMENT_PREFIX}${NAME}/`))).toBe(true);
    // A container there is none of is created first (Swift answers an object PUT into it 404), once.
    expect(fake.seen.filter((line) => line === 'PUT images')).toHaveLength(1);
  });

  it('keeps an endpoint that ends in a version (Ceph RGW: /swift/v1): it is the account URL', async () => {
    const { store } = swiftStore('http://rgw.test/swift/v1/');
    expect(await store.urlOf(NAME)).toBe(`http://rgw.test/swift/v1/images/${NAME}`);
  });

  it('copies nothing the second time: a HEAD finds the same checksum', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(1500);
    upstream(server, { '1.0.raw': data });
    const { req } = request(store, [definition('demo', [version('1.0', sha256(data))])]);
    await mirrorAll(req);
    fake.seen.length = 0;
    const again = await mirrorAll(req);
    expect(again.objects[0]?.action).toBe('present');
    expect(fake.seen).toEqual([`HEAD images/${NAME}`]);
  });

  it('unpacks a compressed source and verifies the checksum of the bytes as published', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(3000, 7);
    const packed = gzipSync(data);
    upstream(server, { '1.0.raw.gz': packed });
    const v = version('1.0', sha256(packed), `${UPSTREAM}/1.0.raw.gz`);
    const report = await mirrorAll(request(store, [definition('demo', [v])]).req);
    expect(report.objects[0]?.action).toBe('copied');
    expect(fake.objects.get(`images/${NAME}`)?.data.equals(data)).toBe(true);
  });

  it('leaves nothing under the name, and no segment, when the source does not match its checksum', async () => {
    const { fake, store } = swiftStore();
    upstream(server, { '1.0.raw': bytes(2500) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(2500, 2)))])]).req);
    expect(report.objects[0]).toMatchObject({ action: 'failed' });
    expect(report.objects[0]?.reason).toContain(`${UPSTREAM}/1.0.raw`);
    expect([...fake.objects.keys()]).toEqual([]);
    expect(mirrorFailed(report)).toBe(true);
  });

  it('leaves nothing when the source breaks off', async () => {
    const { fake, store } = swiftStore();
    const broken = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes(1200));
          controller.error(new Error('connection reset'));
        },
      });
    upstream(server, { '1.0.raw': broken });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(2000)))])]).req);
    expect(report.objects[0]?.action).toBe('failed');
    expect([...fake.objects.keys()]).toEqual([]);
  });

  it('never replaces an object it did not write', async () => {
    const { fake, store } = swiftStore();
    fake.objects.set(`images/${NAME}`, { data: Buffer.from('theirs'), meta: {} });
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    expect(report.objects[0]).toMatchObject({ action: 'failed', reason: expect.stringContaining('did not write') });
    expect(fake.objects.get(`images/${NAME}`)?.data.toString()).toBe('theirs');
    expect(fake.seen.filter((s) => s.startsWith('PUT'))).toEqual([]);
  });

  it('copies again, with a warning, an object of its own whose checksum differs', async () => {
    const { fake, store } = swiftStore();
    fake.objects.set(`images/${NAME}`, {
      data: Buffer.from('old'),
      meta: { 'image-manager': 'mirror', checksum: 'sha256:00' },
    });
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const { req, warnings } = request(store, [definition('demo', [version('1.0', sha256(data))])]);
    const report = await mirrorAll(req);
    expect(report.objects[0]?.action).toBe('recopied');
    expect(warnings.join()).toContain('sha256:00');
    expect(fake.objects.get(`images/${NAME}`)?.data.equals(data)).toBe(true);
  });

  it('only HEADs in a dry run', async () => {
    const { fake, store } = swiftStore();
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(
      request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])], { dryRun: true }).req,
    );
    expect(report.objects[0]?.action).toBe('would-copy');
    expect(fake.seen).toEqual([`HEAD images/${NAME}`]);
  });

  it('reports a full store (507) naming container and object', async () => {
    const { fake, store } = swiftStore();
    fake.fail('PUT', /000001/, 507);
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    expect(report.objects[0]?.reason).toMatch(/^swift container images, object demo\/1.0-demo.raw: .*507/);
    expect([...fake.objects.keys()]).toEqual([]);
  });

  it('waits out a 503 on the HEAD within the retry budget', async () => {
    const { fake, store } = swiftStore();
    fake.fail('HEAD', /demo/, 503, 2);
    upstream(server, { '1.0.raw': bytes(10) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    expect(report.objects[0]?.action).toBe('copied');
  });

  it('skips a version without checksum or definition without shortname, copying nothing', async () => {
    const { fake, store } = swiftStore();
    const report = await mirrorAll(
      request(store, [definition('demo', [version('1.0', undefined)]), definition(undefined, [version('2', 'ab')])])
        .req,
    );
    expect(report.objects.map((o) => o.action)).toEqual(['skipped', 'skipped']);
    expect(mirrorFailed(report)).toBe(false);
    expect(fake.seen).toEqual([]);
  });

  it('prunes only its own objects of versions no longer defined', async () => {
    const { fake, store } = swiftStore();
    const ours = { 'image-manager': 'mirror', checksum: 'sha256:00' };
    fake.objects.set('images/demo/0.9-demo.raw', { data: Buffer.from('x'), meta: ours });
    fake.objects.set('images/demo/0.8-demo.raw', { data: Buffer.from('x'), meta: {} });
    fake.objects.set('images/demo/notes.txt', { data: Buffer.from('x'), meta: ours });
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const report = await mirrorAll(
      request(store, [definition('demo', [version('1.0', sha256(data))])], { prune: true }).req,
    );
    expect(report.pruned).toEqual([
      { object: 'demo/0.8-demo.raw', action: 'kept', reason: 'not written by this tool' },
      { object: 'demo/0.9-demo.raw', action: 'pruned' },
    ]);
    expect([...fake.objects.keys()].filter((k) => !k.includes(SEGMENT_PREFIX)).sort()).toEqual([
      'images/demo/0.8-demo.raw',
      'images/demo/1.0-demo.raw',
      'images/demo/notes.txt',
    ]);
  });
});
