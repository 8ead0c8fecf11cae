import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type MirrorRequest, mirrorAll, mirrorFailed } from '../../../src/mirror/mirror.js';
import type { MirrorObserver } from '../../../src/mirror/observer.js';
import { SEGMENT_PREFIX, SwiftStore } from '../../../src/mirror/swift-store.js';
import { Session } from '../../../src/openstack/identity.js';
import { SwiftClient } from '../../../src/openstack/object-store.js';
import type { CatalogEntry } from '../../../src/openstack/identity.js';
import { catalogWithImage, keystoneTokens, makeCloud, makeHttp, passwordAuth, useMsw } from '../openstack/helpers.js';
import { fakeSwift, SWIFT } from './fake-stores.js';
import { bytes, definition, request, sha256, UPSTREAM, upstream, version, sendsThenWaits } from './support.js';

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
    const { req } = request(store, [definition('demo', [v])]);
    const report = await mirrorAll(req);
    // The image's sha256, hashed in the same pass: the object's metadata and the version's mirror_checksum.
    expect(report.objects[0]).toMatchObject({ action: 'copied', mirrorChecksum: `sha256:${sha256(data)}` });
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    expect(object?.meta).toEqual({
      'image-manager': 'mirror',
      checksum: `sha256:${sha256(packed)}`,
      'image-sha256': sha256(data),
    });
    fake.seen.length = 0;
    const again = await mirrorAll(req);
    expect(again.objects[0]).toMatchObject({ action: 'present', mirrorChecksum: `sha256:${sha256(data)}` });
    expect(fake.seen).toEqual([`HEAD images/${NAME}`]);
  });

  it.each([
    ['does not record it (an older mirror)', {}],
    ['records something else', { 'image-sha256': 'not-a-digest' }],
  ])("copies a packed source's object again when it %s its image's sha256", async (_, extra) => {
    const { fake, store } = swiftStore();
    const data = bytes(1000, 3);
    const packed = gzipSync(data);
    fake.objects.set(`images/${NAME}`, {
      data: Buffer.from(data),
      meta: { 'image-manager': 'mirror', checksum: `sha256:${sha256(packed)}`, ...extra },
    });
    upstream(server, { '1.0.raw.gz': packed });
    const { req, warnings } = request(store, [
      definition('demo', [version('1.0', sha256(packed), `${UPSTREAM}/1.0.raw.gz`)]),
    ]);
    const report = await mirrorAll(req);
    expect(report.objects[0]).toMatchObject({ action: 'recopied', mirrorChecksum: `sha256:${sha256(data)}` });
    expect(warnings.join()).toContain('image-sha256');
    expect(fake.objects.get(`images/${NAME}`)?.meta['image-sha256']).toBe(sha256(data));
  });

  it('a plain source gets no image-sha256 and no mirror_checksum: its checksum is of the image', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(700);
    upstream(server, { '1.0.raw': data });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(data))])]).req);
    expect(report.objects[0]?.mirrorChecksum).toBeUndefined();
    expect(fake.objects.get(`images/${NAME}`)?.meta['image-sha256']).toBeUndefined();
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

  it('interrupted mid-copy: the copy is undone (no object, no segment), later versions are not started, no prune', async () => {
    const { fake, store } = swiftStore();
    const interrupt = new AbortController();
    // More than the format check reads (an ISO's mark is at 32 KiB) and than a segment, then nothing.
    const endless = sendsThenWaits(40_500);
    upstream(server, { '1.0.raw': endless, '2.0.raw': bytes(10) });
    const versions = [version('1.0', sha256(bytes(10))), version('2.0', sha256(bytes(10)))];
    const observers = [
      { bytes: (_: unknown, sent: number) => sent >= 40_000 && interrupt.abort('SIGINT') },
    ] as MirrorRequest['observers'];
    const extra = { signal: interrupt.signal, prune: true, observers };
    const report = await mirrorAll(request(store, [definition('demo', versions)], extra).req);
    expect(report.interrupted).toBe('SIGINT');
    expect(report.objects.map((o) => [o.version, o.action])).toEqual([
      ['1.0', 'failed'],
      ['2.0', 'skipped'],
    ]);
    expect(report.objects[0]?.reason).toContain('interrupted (SIGINT)');
    expect(report.objects[1]?.reason).toBe('not started: interrupted (SIGINT)');
    expect(report.pruned).toEqual([]);
    expect(fake.seen.some((line) => line.startsWith('PUT images/.image-manager-segments/'))).toBe(true);
    expect([...fake.objects.keys()]).toEqual([]);
  });

  it('--prune deletes segment folders a killed run left over a day ago that no manifest lists, nothing else', async () => {
    const { fake, store } = swiftStore();
    const day = Date.parse('2025-06-01T00:00:00Z');
    const folder = (object: string, time: number) => `images/${SEGMENT_PREFIX}${object}/${time}/000001`;
    const killed = folder('demo/0.9-demo.raw', day - 30 * 3600_000);
    const held = folder(NAME, day - 40 * 3600_000);
    const recent = folder('demo/0.8-demo.raw', day - 3600_000);
    const alien = folder('demo/notes.txt', day - 90 * 3600_000);
    for (const key of [killed, held, recent, alien]) fake.objects.set(key, { data: Buffer.from('seg'), meta: {} });
    const data = bytes(3);
    fake.objects.set(`images/${NAME}`, {
      data,
      meta: { 'image-manager': 'mirror', checksum: `sha256:${sha256(data)}` },
      segments: [held],
    });
    upstream(server, { '1.0.raw': data });
    const d = definition('demo', [version('1.0', sha256(data))]);
    const dry = await mirrorAll(request(store, [d], { prune: true, dryRun: true }).req);
    const id = `${SEGMENT_PREFIX}demo/0.9-demo.raw/${day - 30 * 3600_000}/`;
    expect(dry.pruned).toMatchObject([{ object: `demo/0.9-demo.raw (upload ${id})`, action: 'would-prune' }]);
    expect(fake.objects.has(killed)).toBe(true);
    const report = await mirrorAll(request(store, [d], { prune: true }).req);
    expect(report.pruned).toMatchObject([{ object: `demo/0.9-demo.raw (upload ${id})`, action: 'pruned' }]);
    expect([...fake.objects.keys()].filter((key) => key.includes(SEGMENT_PREFIX)).sort()).toEqual(
      [alien, held, recent].sort(),
    );
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

  it("deletes the replaced copy's segments once the new manifest is in, and nothing its manifest lists elsewhere", async () => {
    const { fake, store } = swiftStore();
    const old = `images/${SEGMENT_PREFIX}${NAME}/1/000001`;
    const foreign = [
      'images/keep-me',
      `images/${SEGMENT_PREFIX}other/1/000001`,
      `images/${SEGMENT_PREFIX}${NAME}/../x`,
    ];
    for (const key of [old, ...foreign]) fake.objects.set(key, { data: Buffer.from('seg'), meta: {} });
    fake.objects.set(`images/${NAME}`, {
      data: Buffer.from('old'),
      meta: { 'image-manager': 'mirror', checksum: 'sha256:00' },
      segments: [old, ...foreign],
    });
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(data))])]).req);
    expect(report.objects[0]?.action).toBe('recopied');
    const object = fake.objects.get(`images/${NAME}`);
    expect(object?.data.equals(data)).toBe(true);
    const left = [...fake.objects.keys()].filter((key) => key.includes(SEGMENT_PREFIX) || key.includes('keep'));
    expect(left.sort()).toEqual([...foreign, ...(object?.segments ?? [])].sort());
  });

  it('keeps the old copy and its segments when the new one fails verification', async () => {
    const { fake, store } = swiftStore();
    const old = `images/${SEGMENT_PREFIX}${NAME}/1/000001`;
    fake.objects.set(old, { data: Buffer.from('old'), meta: {} });
    const meta = { 'image-manager': 'mirror', checksum: 'sha256:00' };
    fake.objects.set(`images/${NAME}`, { data: Buffer.from('old'), meta, segments: [old] });
    upstream(server, { '1.0.raw': bytes(10, 3) });
    const report = await mirrorAll(request(store, [definition('demo', [version('1.0', sha256(bytes(10)))])]).req);
    expect(report.objects[0]?.action).toBe('failed');
    expect([...fake.objects.keys()].sort()).toEqual([old, `images/${NAME}`]);
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

/** An observer that writes down what it is told: a line an event, byte counts apart. */
function recorder() {
  const events: string[] = [];
  const counts: [sent: number, total: number | undefined][] = [];
  const observer: MirrorObserver = {
    planned: (targets) => events.push(`planned ${targets.map((t) => t.object).join(' ')}`),
    started: (target) => events.push(`started ${target.object}`),
    phase: (target, phase) => events.push(`${phase} ${target.object}`),
    bytes: (target, sent, total) => {
      if (events.at(-1) !== `bytes ${target.object}`) events.push(`bytes ${target.object}`);
      counts.push([sent, total]);
    },
    ended: (outcome) => events.push(`ended ${outcome.object} ${outcome.action}`),
  };
  return { events, counts, observer };
}

describe("the mirror's observer", () => {
  it('is told in order: the plan, then per version its start, phases, byte counts and end', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(2500);
    upstream(server, { '1.0.raw': data });
    fake.objects.set('images/demo/0.9-demo.raw', {
      data: bytes(10),
      meta: { 'image-manager': 'mirror', checksum: `sha256:${sha256(bytes(10))}` },
    });
    const versions = [version('0.9', sha256(bytes(10))), version('1.0', sha256(data)), version('1.1', undefined)];
    const { events, counts, observer } = recorder();
    const report = await mirrorAll(request(store, [definition('demo', versions)], { observers: [observer] }).req);
    expect(report.objects.map((o) => o.action)).toEqual(['present', 'copied', 'skipped']);
    expect(events).toEqual([
      'planned demo/0.9-demo.raw demo/1.0-demo.raw demo/1.1-demo.raw',
      'started demo/0.9-demo.raw',
      'ended demo/0.9-demo.raw present',
      'started demo/1.0-demo.raw',
      'reading demo/1.0-demo.raw',
      'uploading demo/1.0-demo.raw',
      'bytes demo/1.0-demo.raw',
      'committing demo/1.0-demo.raw',
      'ended demo/1.0-demo.raw copied',
      'started demo/1.1-demo.raw',
      'ended demo/1.1-demo.raw skipped',
    ]);
    // Counted from 0 as the bytes reach the store, up to all of them; the source said its length.
    expect(counts[0]).toEqual([0, 2500]);
    expect(counts.at(-1)).toEqual([2500, 2500]);
    expect(counts.map(([sent]) => sent)).toEqual(counts.map(([sent]) => sent).sort((a, b) => a - b));
  });

  it('counts the unpacked bytes of a packed source, with no total (its length is not the image)', async () => {
    const { store } = swiftStore();
    const data = bytes(3000, 7);
    const packed = gzipSync(data);
    upstream(server, { '1.0.raw.gz': packed });
    const v = version('1.0', sha256(packed), `${UPSTREAM}/1.0.raw.gz`);
    const { counts, observer } = recorder();
    await mirrorAll(request(store, [definition('demo', [v])], { observers: [observer] }).req);
    expect(counts.at(-1)).toEqual([3000, undefined]);
    expect(counts.every(([, total]) => total === undefined)).toBe(true);
  });

  it('copies all the same when an observer throws at every event, and still tells the next one', async () => {
    const { fake, store } = swiftStore();
    const data = bytes(2500);
    upstream(server, { '1.0.raw': data });
    const fail = () => {
      throw new Error('the view broke');
    };
    const broken: MirrorObserver = { planned: fail, started: fail, phase: fail, bytes: fail, ended: fail };
    const { events, observer } = recorder();
    const definitions = [definition('demo', [version('1.0', sha256(data))])];
    const report = await mirrorAll(request(store, definitions, { observers: [broken, observer] }).req);
    expect(report.objects[0]?.action).toBe('copied');
    expect(fake.objects.get(`images/${NAME}`)?.data.equals(data)).toBe(true);
    expect(events.at(-1)).toBe(`ended ${NAME} copied`);
  });
});
