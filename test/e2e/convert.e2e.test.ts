import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli, wwwPath } from './harness.js';
import type { GlanceClient, GlanceImage } from '../../src/openstack/image.js';

// Against the stack's converting glance-api (issue 16): image_conversion turns every import into raw, as Glance
// on Ceph does. Its stored hash is of the raw data, so the tool verifies the source against the definition and
// says the link to Glance was not checked; a changed byte or a backing file is never published, exit 1; a
// second run changes nothing (Glance's disk_format raw is no drift from the definition's qcow2).

const convert = configured(process.env.IMAGE_MANAGER_E2E_CONVERT_CLOUD);
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const MiB = 1024 * 1024;

/** The cloud when the stack's clouds.yaml has it (a stack started before the converting Glance has not). */
function configured(cloud: string | undefined): { cloud: string; glance: GlanceClient } | undefined {
  if (!cloud) return undefined;
  try {
    return { cloud, glance: glanceFor(cloud).glance };
  } catch {
    return undefined;
  }
}

const METHODS = [
  { method: 'web-download', flags: [] as string[], what: 'its own copy of the source' },
  { method: 'glance-direct', flags: ['--prefetch', 'always'], what: 'the bytes the tool sent' },
];

const hash = (algo: string, file: string) => createHash(algo).update(readFileSync(file)).digest('hex');

/** The sha512 of the raw data qemu-img makes of `file`: what the converting Glance stores. */
function rawSha512(file: string): string {
  const raw = wwwPath(`e2e-${randomUUID()}.raw`);
  execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', file, raw]);
  return hash('sha512', raw);
}

function catalogue(images: Array<{ name: string; url: string; checksum: string }>): string {
  return writeCatalogue(
    images.map(({ name, url, checksum }) =>
      definition({ name, multi: false, versions: [{ version: '1.0', url, checksum, build_date: '2025-01-01' }] }),
    ),
  );
}

interface Result {
  status: string;
  message?: string;
  verification?: { state: string; detail: string };
}

describe.skipIf(convert === undefined)('a converting Glance (image_conversion to raw)', () => {
  if (convert === undefined) return;
  const { cloud, glance } = convert;
  const run = (images: string, ...flags: string[]) =>
    runCli(['--cloud', cloud, '--images', images, '--tag', tag, ...flags]);
  const held = async (prefix: string): Promise<GlanceImage[]> =>
    (await managedImages(glance, tag)).filter((image) => image.name?.startsWith(prefix));

  afterAll(async () => {
    for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  });

  /** Imports `url` as `name` with a sha256 checksum: the run fails, exit 1, and no image is left; its message. */
  async function neverPublished(name: string, url: string, sha256: string, flags: string[]) {
    const result = run(catalogue([{ name, url, checksum: `sha256:${sha256}` }]), ...flags, '--output', 'json');
    expect(result.status, result.stderr).toBe(1);
    const [outcome] = (JSON.parse(result.stdout) as { report: { results: Result[] } }).report.results;
    expect(outcome?.status).toBe('failed');
    expect(await held(name)).toEqual([]);
    return outcome?.message;
  }

  it.each(METHODS)(
    '$method: sha256 and sha512 sources verified, the link to Glance named as not checked; a second run changes nothing',
    async ({ method, flags, what }) => {
      const prefix = `E2E Convert ${method} ${suffix}`;
      const [a, b] = [makeQcow2(3), makeQcow2(5)];
      const images = catalogue([
        { name: `${prefix} sha256`, url: a.url, checksum: `sha256:${hash('sha256', a.file)}` },
        { name: `${prefix} sha512`, url: b.url, checksum: `sha512:${b.sha512}` },
      ]);
      const glanceLink = `not end to end: Glance converted ${what} to raw; its sha512 is of the raw data, not compared`;
      const details = ['sha256', 'sha512'].map((algo) => `source ${algo} = the definition's; ${glanceLink}`);

      // web-download: the run's summary table; glance-direct: its JSON report.
      const first = run(images, ...flags, ...(method === 'web-download' ? [] : ['--output', 'json']));
      expect(first.status, first.stderr).toBe(0);
      if (method === 'web-download') {
        expect(first.stdout).toMatch(/sha256 1\.0 +import +done: source verified, not end to end: Glance converted/);
        expect(first.stdout).toMatch(/sha512 1\.0 +import +done: source verified, not end to end: Glance converted/);
        expect(first.stdout).toMatch(/\n2 actions: 2 done, 0 failed, 0 skipped, 0 deferred\n$/);
      } else {
        const results = (JSON.parse(first.stdout) as { report: { results: Result[] } }).report.results;
        expect(results).toEqual(
          details.map((detail) =>
            expect.objectContaining({
              status: 'done',
              message: `source verified, ${glanceLink}`,
              verification: { state: 'source-verified', detail },
            }),
          ),
        );
      }
      expect(first.stderr).toContain(`WARN     | ${prefix} sha256 1.0 source verified: ${details[0]}`);

      // What the converting Glance holds: raw, its size and hash those of qemu-img's raw of the source.
      const byName = new Map((await held(prefix)).map((image) => [image.name, image]));
      for (const [source, sizeMiB, detail, algo] of [
        [a, 3, details[0], 'sha256'],
        [b, 5, details[1], 'sha512'],
      ] as const) {
        expect(byName.get(`${prefix} ${algo} 1.0`)).toMatchObject({
          status: 'active',
          visibility: 'public',
          disk_format: 'raw',
          size: sizeMiB * MiB,
          virtual_size: sizeMiB * MiB,
          os_hash_algo: 'sha512',
          os_hash_value: rawSha512(source.file),
          image_verification: `source verified: ${detail}`,
        });
      }

      const status = runCli(['status', '--cloud', cloud, '--images', images, '--tag', tag, '--output', 'json']);
      expect(status.status, status.stderr).toBe(0);
      const document = JSON.parse(status.stdout) as {
        inSync: boolean;
        definitions: Array<{ name: string; versions: Array<{ verification?: unknown }> }>;
      };
      expect(document.inSync).toBe(true);
      const ours = document.definitions.filter((d) => d.name.startsWith(prefix));
      expect(ours.map((d) => d.versions.map((v) => v.verification))).toEqual(
        details.map((detail) => [{ state: 'source-verified', detail }]),
      );
      const text = runCli(['status', '--cloud', cloud, '--images', images, '--tag', tag]);
      expect(text.stdout).toContain(
        `  source verified ${prefix} sha256 1.0: source sha256 = the definition's; not end`,
      );

      const again = run(images, ...flags);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toBe(
        'Nothing to do: every managed image matches its definition.\n0 actions: 0 done, 0 failed, 0 skipped, 0 deferred\n',
      );
    },
  );

  it.each(METHODS)('$method: a source with one byte changed is never published, exit 1', async ({ method, flags }) => {
    const file = makeQcow2(2);
    const checksum = hash('sha256', file.file);
    const data = readFileSync(file.file);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
    writeFileSync(file.file, data);
    const name = `E2E Convert Changed ${method} ${suffix}`;
    const message = await neverPublished(name, file.url, checksum, flags);
    expect(message).toMatch(/checksum mismatch .* the source's sha256 is .*; not published$/);
  });

  it.each(METHODS)('$method: a qcow2 with a backing file is never published, exit 1', async ({ method, flags }) => {
    const file = wwwPath(`e2e-${randomUUID()}.qcow2`);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', '/etc/hostname', file, '1M']);
    const name = `E2E Convert Backing ${method} ${suffix}`;
    const url = `${e2e.httpBase}/${file.split('/').at(-1)}`;
    const message = await neverPublished(name, url, hash('sha256', file), flags);
    expect(message).toMatch(/qcow2 with a backing file \(refused: it refers to other files\); .* not published$/);
  });
});
