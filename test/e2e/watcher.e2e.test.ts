import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli } from './harness.js';

// A tag of this file's own: its run never sees (or touches) any other image in the cloud.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const COUNT = 13;

interface LogLine {
  msg?: string;
  method?: string;
  url?: string;
  imports?: number;
  writes?: number;
}

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

/** The ids a listing asked for (`id=in:a,b,…`), or undefined for any other request. */
function listedIds(line: LogLine): string[] | undefined {
  if (line.msg !== 'request' || line.method !== 'GET' || !line.url) return undefined;
  const url = new URL(line.url);
  const id = url.searchParams.get('id');
  return url.pathname.endsWith('/v2/images') && id?.startsWith('in:') ? id.slice(3).split(',') : undefined;
}

describe('the watcher against the real Glance', () => {
  it('13 imports in one run: one listing per watcher tick, all 13 in it; 3 writes per new image', async () => {
    const files = Array.from({ length: COUNT }, (_, i) => makeQcow2(i + 1));
    const names = files.map((_, i) => `E2E Watch ${suffix} ${i + 1}`);
    const catalogue = writeCatalogue(
      files.map((file, i) =>
        definition({
          name: names[i] as string,
          multi: true,
          versions: [
            { version: '20250101', url: file.url, checksum: `sha512:${file.sha512}`, build_date: '2025-01-01' },
          ],
        }),
      ),
    );

    const result = runCli([
      '--cloud',
      e2e.adminCloud,
      '--images',
      catalogue,
      '--tag',
      tag,
      '--log-format',
      'json',
      '--debug',
    ]);
    expect(result.status, result.stderr).toBe(0);

    const lines = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    // The watcher's ticks and its listings, in the order they happened: a tick logs, then its listing answers.
    type Step = { tick: number } | { ids: string[] };
    const sequence = lines.flatMap((line): Step[] => {
      if (line.msg === 'Waiting for imports to complete...') return [{ tick: line.imports ?? 0 }];
      const ids = listedIds(line);
      return ids ? [{ ids }] : [];
    });
    expect(sequence.length).toBeGreaterThan(1);
    sequence.forEach((step, i) => {
      // One listing per tick (13 ids make one chunk), each listing of as many ids as the tick watched.
      if (i % 2 === 0) expect(step, `step ${i}`).toHaveProperty('tick');
      else expect((step as { ids: string[] }).ids).toHaveLength((sequence[i - 1] as { tick: number }).tick);
    });
    const ticks = sequence.filter((step): step is { tick: number } => 'tick' in step);
    expect(ticks.length).toBe(sequence.length / 2);
    expect(Math.max(...ticks.map((step) => step.tick))).toBe(COUNT);

    // No image was polled by itself, and no task was read: every import ended active on its own.
    const perImage = lines.filter(
      (line) =>
        line.msg === 'request' && line.method === 'GET' && /\/v2\/images\/[^/?]+(\/tasks)?$/.test(line.url ?? ''),
    );
    expect(perImage).toEqual([]);

    // A fresh cloud (names and tag of this run's own): the create, the import, the final PATCH.
    const totals = lines.find((line) => line.msg === 'requests in total');
    expect(totals?.writes).toBe(3 * COUNT);

    const images = await managedImages(glance, tag);
    expect(images.map((image) => image.name).sort()).toEqual([...names].sort());
    for (const image of images) expect(image).toMatchObject({ status: 'active', visibility: 'public' });
  });
});
