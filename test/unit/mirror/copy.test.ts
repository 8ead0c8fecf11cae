import { describe, expect, it } from 'vitest';
import { mirrorAll } from '../../../src/mirror/mirror.js';
import type { ObjectStore, StoredObject, UploadPlan } from '../../../src/mirror/store.js';
import { mirrorObjectName } from '../../../src/definitions/mirror-object.js';
import { mirrorTargets } from '../../../src/mirror/targets.js';
import { derivedMirrorUrl } from '../../../src/plan/sources.js';
import { FakeClock, turns } from '../net/fake-clock.js';
import { useMsw } from '../openstack/helpers.js';
import { UPSTREAM, bytes, definition, request, sha256, upstream, version } from './support.js';

const { server } = useMsw();

/** A store that reads every upload to its end, as a real one does, and commits after `verify`. */
class MemoryStore implements ObjectStore {
  readonly where = 'memory';
  readonly objects = new Map<string, { data: Buffer; meta: Record<string, string> }>();
  async head(name: string): Promise<StoredObject | undefined> {
    const found = this.objects.get(name);
    return found && { ours: true, checksum: found.meta.checksum as string };
  }
  async upload(name: string, stream: ReadableStream<Uint8Array>, plan: UploadPlan): Promise<void> {
    const data = Buffer.from(await new Response(stream).arrayBuffer());
    plan.verify();
    this.objects.set(name, { data, meta: plan.metadata });
  }
  async remove(name: string) {
    this.objects.delete(name);
  }
  async list() {
    return [...this.objects.keys()];
  }
  async urlOf(name: string) {
    return `mem:${name}`;
  }
  async abandoned() {
    return [];
  }
  async discard() {}
}

describe('mirror copy', () => {
  it('names objects as OIM does and takes only the newest version with latest', () => {
    expect(mirrorObjectName('almalinux-9', '20241120', 'qcow2')).toBe('almalinux-9/20241120-almalinux-9.qcow2');
    const defs = [definition('demo', [version('1', 'aa'), version('2', 'bb')])];
    expect(mirrorTargets(defs, true).map((t) => t.object)).toEqual(['demo/2-demo.raw']);
    expect(mirrorTargets(defs, false)).toHaveLength(2);
  });

  it.each([
    ['before its first bytes could be checked', 100],
    ['half way', 300_000],
  ])('fails a source that stalls %s, naming its URL, and commits nothing', async (_, sent) => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    upstream(server, {
      '1.0.raw': () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes(sent));
          },
        }),
    });
    let done = false;
    const running = mirrorAll(
      request(store, [definition('demo', [version('1.0', sha256(bytes(sent)))])], {}, clock).req,
    );
    running.finally(() => {
      done = true;
    });
    while (!done) {
      await turns(20);
      clock.advance(31_000);
    }
    const report = await running;
    expect(report.objects[0]).toMatchObject({
      action: 'failed',
      reason: `${UPSTREAM}/1.0.raw: no data came for 30 s`,
    });
    expect(store.objects.size).toBe(0);
  });

  it('uses --mirror-base for the mirror URL', async () => {
    const store = new MemoryStore();
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const defs = [definition('demo', [version('1.0', sha256(data))])];
    const report = await mirrorAll(request(store, defs, { mirrorBase: 'https://mirror.example/images/' }).req);
    expect(report.objects[0]?.mirrorUrl).toBe('https://mirror.example/images/demo/1.0-demo.raw');
  });

  it('writes the mirror URL a run derives from --mirror-base: the object name encoded (a space, a #)', async () => {
    const store = new MemoryStore();
    const data = bytes(10);
    upstream(server, { '1.0.raw': data });
    const def = definition('demo', [version('1.0 #2', sha256(data), `${UPSTREAM}/1.0.raw`)]);
    const base = 'https://mirror.example/images';
    const report = await mirrorAll(request(store, [def], { mirrorBase: base }).req);
    expect(report.objects[0]?.mirrorUrl).toBe(`${base}/demo/1.0%20%232-demo.raw`);
    expect(report.objects[0]?.mirrorUrl).toBe(derivedMirrorUrl(def, def.versions[0] as (typeof def.versions)[0], base));
  });
});
