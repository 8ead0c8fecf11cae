import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { GlanceImage } from '../../src/openstack/image.js';
import { definition, writeCatalogue } from './catalogue.js';
import { FaultProxy } from './fault-proxy.js';
import { e2e, glanceFor, makeQcow2, managedImages, repoRoot, runCli, startCli, wwwPath } from './harness.js';

// A tag of this file's own: its runs never see (or touch) any other image in the cloud.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
/** The tags of this file: its own, and one per seed of the fault runs. */
const tags = [tag];

afterAll(async () => {
  for (const each of tags) {
    for (const image of await managedImages(glance, each)) await glance.deleteImage(image.id).catch(() => undefined);
  }
});

/**
 * The fault proxy's seeds, one run each: `IMAGE_MANAGER_E2E_FAULT_SEEDS` (comma-separated whole numbers)
 * repeats a failed one or tries others; five by default.
 */
function faultSeeds(value = process.env.IMAGE_MANAGER_E2E_FAULT_SEEDS): number[] {
  if (value === undefined || value.trim() === '') return [20261130, 1, 42, 777, 31337];
  const seeds = value.split(',').map((seed) => Number(seed.trim()));
  if (seeds.some((seed) => !Number.isSafeInteger(seed))) {
    throw new Error(`IMAGE_MANAGER_E2E_FAULT_SEEDS: whole numbers separated by commas, got "${value}"`);
  }
  return seeds;
}

const version = (v: string, file: { url: string; sha512: string }) => ({
  version: v,
  url: file.url,
  checksum: `sha512:${file.sha512}`,
  build_date: `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`,
});

/** Every (definition, version) is held by exactly one image, and every name by one image. */
function expectNoDuplicates(images: GlanceImage[]): void {
  const versions = images.map((image) => `${String(image.image_name)} / ${String(image.internal_version)}`);
  expect(versions.length, versions.join('\n')).toBe(new Set(versions).size);
  const names = images.map((image) => image.name);
  expect(names.length, names.join('\n')).toBe(new Set(names).size);
}

function failedActions(stdout: string): number {
  return (JSON.parse(stdout) as { report: { counts: { failed: number } } }).report.counts.failed;
}

describe('runs that finish under faults', () => {
  // 12 imports in two runs (4 definitions × 2 versions, then a third version of each, the first retired).
  it.each(faultSeeds())(
    'completes with no failed action and no duplicate when 20% of Glance answers are 503 and 5% of write answers are lost (seed %i)',
    async (seed) => {
      const seedTag = `${tag}-${seed}`;
      tags.push(seedTag);
      const glanceUrl = new URL(await glanceEndpoint());
      const proxy = new FaultProxy(glanceUrl, { unavailable: 0.2, lostWriteAnswers: 0.05, seed });
      const proxyUrl = await proxy.start();
      const clouds = faultyClouds(proxyUrl);
      const files = [makeQcow2(1), makeQcow2(2), makeQcow2(3)];
      const names = [1, 2, 3, 4].map((n) => `E2E Faults ${suffix} ${seed} ${n}`);
      const catalogue = (versions: Array<[string, (typeof files)[number]]>) =>
        writeCatalogue(
          names.map((name) =>
            definition({
              name,
              multi: true,
              versions: versions.map(([v, file]) => version(v, file)),
              meta: { os_distro: `faults${name.slice(-1)}` },
            }),
          ),
        );
      try {
        // Asynchronous runs: the proxy lives in this process and must keep serving while the CLI runs.
        const run = (versions: Array<[string, (typeof files)[number]]>, ...extra: string[]) =>
          startCli(
            ['--cloud', 'faulty', '--images', catalogue(versions), '--tag', seedTag, '--output', 'json', ...extra],
            { OS_CLIENT_CONFIG_FILE: clouds },
          );
        const first = await run([
          ['20261101', files[0]!],
          ['20261110', files[1]!],
        ]);
        expect(first.status, first.stderr).toBe(0);
        expect(failedActions(first.stdout), first.stdout).toBe(0);
        const second = await run(
          [
            ['20261110', files[1]!],
            ['20261120', files[2]!],
          ],
          '--hide',
          '--delete',
        );
        expect(second.status, second.stderr).toBe(0);
        expect(failedActions(second.stdout), second.stdout).toBe(0);
      } finally {
        await proxy.stop();
      }
      const { forwarded, unavailable, lostAnswers } = proxy.counts;
      console.info(`seed ${seed}: ${unavailable} answered 503, ${forwarded} forwarded, ${lostAnswers} answers lost`);
      expect(unavailable).toBeGreaterThan(0);
      expect(lostAnswers).toBeGreaterThan(0);
      const images = await managedImages(glance, seedTag);
      expectNoDuplicates(images.filter((image) => names.includes(String(image.image_name))));
      for (const name of names) expect(images.find((image) => image.name === name)?.internal_version).toBe('20261120');
    },
  );
});

describe('two runs at once', () => {
  it('from two hosts (two temp dirs, so two local locks) create one image per version', async () => {
    const names = [1, 2, 3].map((n) => `E2E Race ${suffix} ${n}`);
    const files = [makeQcow2(1)];
    const catalogue = writeCatalogue(
      names.map((name) =>
        definition({
          name,
          multi: true,
          versions: [version('20261101', files[0]!)],
          meta: { os_distro: `race${name.slice(-1)}` },
        }),
      ),
    );
    const run = (tmp: string) =>
      startCli(['--cloud', e2e.adminCloud, '--images', catalogue, '--tag', tag], { TMPDIR: tmp });
    const [a, b] = await Promise.all([
      run(mkdtempSync(path.join(os.tmpdir(), 'host-a-'))),
      run(mkdtempSync(path.join(os.tmpdir(), 'host-b-'))),
    ]);
    expect([a.status, b.status], `${a.stderr}\n---\n${b.stderr}`).toContain(0);
    for (const result of [a, b]) expect([0, 2], result.stderr).toContain(result.status);
    const images = (await managedImages(glance, tag)).filter((image) => names.includes(String(image.image_name)));
    expectNoDuplicates(images);
    expect(images).toHaveLength(3);
    const again = runCli(['--cloud', e2e.adminCloud, '--images', catalogue, '--tag', tag, '--dry-run']);
    expect(again.stdout).toContain('Nothing to do');
  });
});

describe('Glance restarted during an import', () => {
  it('the next run finds the orphaned import stuck, removes it and imports the version again', async () => {
    const name = `E2E Restart ${suffix}`;
    const file = wwwPath(`restart-${suffix}.raw`);
    writeFileSync(file, '');
    truncateSync(file, 8 * 1024 ** 3); // big enough that Glance is still downloading when it dies
    const url = `${e2e.httpBase}/${path.basename(file)}`;
    const image = definition({
      name,
      multi: true,
      versions: [{ version: '20261101', url, build_date: '2026-11-01' }],
      meta: { os_distro: 'restart' },
    });
    const catalogue = writeCatalogue([{ ...image, format: 'raw' }]);
    const started = runCli(['--cloud', e2e.adminCloud, '--images', catalogue, '--tag', tag, '--no-wait']);
    expect(started.status, started.stderr).toBe(0);
    execFileSync('bash', [path.join(repoRoot, 'scripts/openstack-dev.sh'), 'restart-glance'], { stdio: 'ignore' });
    const [orphan] = (await managedImages(glance, tag)).filter((found) => found.image_name === name);
    // Orphaned mid-import: left importing, or put back to queued by Glance as it died.
    expect(['importing', 'queued']).toContain(orphan?.status);
    writeFileSync(file, Buffer.alloc(1024 * 1024)); // the next download is quick

    const next = runCli([
      '--cloud',
      e2e.adminCloud,
      '--images',
      catalogue,
      '--tag',
      tag,
      '--stuck-after',
      '3',
      '--stuck-retry',
      '1',
    ]);
    expect(next.status, next.stderr).toBe(0);
    const images = (await managedImages(glance, tag)).filter((found) => found.image_name === name);
    expect(images.map((found) => [found.name, found.status])).toEqual([[name, 'active']]);
    expect(images[0]?.id).not.toBe(orphan?.id);
    rmSync(file, { force: true });
  });
});

describe('local files', () => {
  const name = `E2E Local ${suffix}`;
  const allowed = mkdtempSync(path.join(os.tmpdir(), 'im-allowed-'));
  const local = makeQcow2(1);
  const inside = path.join(allowed, 'local.qcow2');
  writeFileSync(inside, readFileSync(local.file));
  mkdirSync(path.join(allowed, 'links'));
  symlinkSync('/etc/shadow', path.join(allowed, 'links', 'shadow.qcow2'));
  const catalogueFor = (url: string) =>
    writeCatalogue([
      definition({
        name,
        multi: false,
        versions: [
          { version: '1.0', url, build_date: '2026-11-01', source: 'https://example.org/innocent.qcow2' } as never,
        ],
        meta: { os_distro: 'localfile', os_purpose: 'minimal', uuid_validity: 'none' },
      }),
    ]);

  it('refuses file:///etc/shadow (exit 2, nothing created), also with --no-check', async () => {
    for (const extra of [[], ['--no-check']]) {
      const result = runCli([
        '--cloud',
        e2e.adminCloud,
        '--images',
        catalogueFor('file:///etc/shadow'),
        '--tag',
        tag,
        ...extra,
      ]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain('--allow-local-files');
    }
    expect((await managedImages(glance, tag)).filter((image) => image.image_name === name)).toEqual([]);
  });

  it('refuses a symlink that leads out of the allowed directory', async () => {
    const result = runCli([
      '--cloud',
      e2e.adminCloud,
      '--images',
      catalogueFor(`file://${path.join(allowed, 'links', 'shadow.qcow2')}`),
      '--tag',
      tag,
      '--allow-local-files',
      allowed,
    ]);
    expect(result.status, result.stderr).toBe(2);
    expect((await managedImages(glance, tag)).filter((image) => image.image_name === name)).toEqual([]);
  });

  it('imports a file under --allow-local-files', async () => {
    const result = runCli([
      '--cloud',
      e2e.adminCloud,
      '--images',
      catalogueFor(`file://${inside}`),
      '--tag',
      tag,
      '--allow-local-files',
      allowed,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const images = (await managedImages(glance, tag)).filter((image) => image.image_name === name);
    expect(images.map((image) => image.status)).toEqual(['active']);
    rmSync(allowed, { recursive: true, force: true });
  });
});

/** The image endpoint the admin cloud's catalog names, through the harness's own session. */
async function glanceEndpoint(): Promise<string> {
  const { session } = glanceFor(e2e.adminCloud);
  return session.endpoint('image');
}

/** A clouds.yaml with the admin cloud under the name `faulty`, its image API reached through the proxy. */
function faultyClouds(proxyUrl: string): string {
  const clouds = parse(readFileSync(e2e.cloudsFile, 'utf8')) as { clouds: Record<string, Record<string, unknown>> };
  const faulty = { ...clouds.clouds[e2e.adminCloud], image_endpoint_override: proxyUrl };
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'im-faulty-')), 'clouds.yaml');
  writeFileSync(file, stringify({ clouds: { faulty } }));
  return file;
}
