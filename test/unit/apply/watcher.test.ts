import { describe, expect, it } from 'vitest';
import { Watcher, type WatcherSettings } from '../../../src/apply/watcher.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { turns, until } from '../net/fake-clock.js';
import { useMsw } from '../openstack/helpers.js';
import { harness, type Harness, type ImportScript, TAG } from './fake-cloud.js';

const { server } = useMsw();

function watcherOf(h: Harness, settings: WatcherSettings = {}): Watcher {
  const { clock } = h;
  return new Watcher({ glance: h.glance, log: h.log, sleep: (ms) => clock.pass(ms), now: () => clock.now() }, settings);
}

/** `count` images with a web-download under way, as the fake runs it. */
function importing(h: Harness, count: number, script: ImportScript = {}, extra: Partial<GlanceImage> = {}) {
  return Array.from({ length: count }, () =>
    h.cloud.seed(h.cloud.image({ status: 'importing', tags: [TAG], ...extra }), {
      running: { method: 'web-download', script },
    }),
  );
}

const perImageGets = (h: Harness) =>
  h.cloud.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/images/'));

describe('Watcher', () => {
  it('one listing per tick for every image in flight (chunks of idsPerListing), no image read by itself', async () => {
    const h = harness(server);
    const images = importing(h, 12, { gets: 3 });
    const watcher = watcherOf(h, { idsPerListing: 5 });
    const deadline = h.clock.now() + 60_000;

    const results = await Promise.all(images.map((image) => watcher.watch(image, deadline)));

    expect(results.map((r) => r.state)).toEqual(Array(12).fill('active'));
    const listings = h.cloud.listings();
    // 12 ids in chunks of 5: three listings a tick, each id in exactly one of them.
    expect(listings).toHaveLength(3 * watcher.ticks);
    for (let tick = 0; tick < watcher.ticks; tick++) {
      const ids = listings.slice(3 * tick, 3 * tick + 3).flatMap((l) => l.body.ids ?? []);
      expect(ids.sort()).toEqual(images.map((i) => i.id).sort());
    }
    expect(watcher.ticks).toBe(4);
    expect(perImageGets(h)).toEqual([]);
    expect(watcher.size).toBe(0);
  });

  it('looks every intervalMs while anything is watched, and stops when nothing is', async () => {
    const h = harness(server);
    const [image] = importing(h, 1, { ms: 2_000 });
    const watcher = watcherOf(h);
    const started = h.clock.now();
    const result = await watcher.watch(image!, started + 60_000);
    expect(result.state).toBe('active');
    const times = h.cloud.listings().map((l) => l.at - started);
    expect(times).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    // Nothing watched: no more listings, however long. A loop still going would sleep (moving the fake
    // clock on) or look again within these turns of the event loop.
    const [stoppedAt, ticks] = [h.clock.now(), watcher.ticks];
    await turns(50);
    expect(h.clock.now()).toBe(stoppedAt);
    expect(watcher.ticks).toBe(ticks);
    expect(h.cloud.listings()).toHaveLength(times.length);
  });

  it('a hidden image is listed with os_hidden=true; one that changes kind or goes is read by itself', async () => {
    const h = harness(server);
    const [hidden] = importing(h, 1, { ms: 1_000 }, { os_hidden: true });
    const [turning, gone] = importing(h, 2, { outcome: 'stay' });
    const watcher = watcherOf(h);
    const deadline = h.clock.now() + 60_000;
    const watching = [hidden!, turning!, gone!].map((image) => watcher.watch(image, deadline));
    h.cloud.images.get(turning!.id)!.os_hidden = true;
    h.cloud.images.delete(gone!.id);

    const [hiddenResult, , goneResult] = await Promise.all([
      watching[0],
      watching[1]!.catch(() => undefined),
      watching[2],
      // The image that turned hidden is seen in the hidden listing from the next tick on; it then finishes.
      (async () => {
        await until(() => h.cloud.listings().some((l) => l.body.os_hidden && l.body.ids?.includes(turning!.id)));
        h.cloud.images.get(turning!.id)!.status = 'active';
      })(),
    ]);

    expect(hiddenResult?.state).toBe('active');
    expect(goneResult).toEqual({ state: 'failed', reason: 'image is deleted' });
    expect(await watching[1]).toMatchObject({ state: 'active' });
    const [visibleFirst, hiddenFirst] = [false, true].map((kind) =>
      h.cloud.listings().find((l) => l.body.os_hidden === kind),
    );
    expect(visibleFirst?.body.ids).toEqual([turning!.id, gone!.id]);
    expect(hiddenFirst?.body.ids).toEqual([hidden!.id]);
    expect(perImageGets(h).map((r) => r.imageId)).toEqual([turning!.id, gone!.id]);
  });

  it('reads the tasks only of an image that looks failed: the failure and its message', async () => {
    const h = harness(server);
    const [failing] = importing(h, 1, { gets: 2, outcome: { fail: 'HTTP 403 from the mirror' } });
    const others = importing(h, 3, { gets: 4 });
    const watcher = watcherOf(h);
    const deadline = h.clock.now() + 60_000;

    const [failed, ...rest] = await Promise.all([failing!, ...others].map((image) => watcher.watch(image, deadline)));

    expect(failed).toEqual({ state: 'failed', reason: 'HTTP 403 from the mirror' });
    expect(rest.map((r) => r.state)).toEqual(['active', 'active', 'active']);
    expect(h.cloud.of('GET', '/tasks').map((r) => r.imageId)).toEqual([failing!.id]);
  });

  it('an import that shows no change is asked for its tasks every tasksEveryMs, not every tick', async () => {
    const h = harness(server);
    const [image] = importing(h, 1, { ms: 20_000 });
    const watcher = watcherOf(h, { tasksEveryMs: 5_000 });
    const started = h.clock.now();
    expect((await watcher.watch(image!, started + 60_000)).state).toBe('active');
    expect(h.cloud.of('GET', '/tasks').map((r) => r.at - started)).toEqual([5_000, 10_000, 15_000]);
    expect(h.cloud.listings()).toHaveLength(81);
  });

  it('past the deadline: timeout; a listing Glance refuses rejects the watches it covered', async () => {
    const h = harness(server);
    const [slow] = importing(h, 1, { outcome: 'stay' });
    const watcher = watcherOf(h);
    const result = await watcher.watch(slow!, h.clock.now() + 1_000);
    expect(result).toEqual({ state: 'timeout', reason: 'not active within the import timeout (importing)' });

    h.cloud.faults.push({ method: 'GET', path: /^\/images$/, lose: 'before', status: 403 });
    await expect(watcher.watch(slow!, h.clock.now() + 1_000)).rejects.toThrow(/403/);
    expect(watcher.size).toBe(0);
  });
});
