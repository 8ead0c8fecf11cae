import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../src/openstack/image.js';
import { definition, writeCatalogue, type ImageSpec } from './catalogue.js';
import { e2e, glanceFor, managedImages, makeQcow2, runCli, type CliResult } from './harness.js';

// A tag of this test file's own: its runs never see (or touch) any other image in the cloud.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const multiName = `E2E Multi ${suffix}`;
const singleName = `E2E Single ${suffix}`;
const { glance } = glanceFor(e2e.adminCloud);

function manage(catalogue: string, ...flags: string[]): CliResult {
  return runCli([
    '--cloud',
    e2e.adminCloud,
    '--images',
    catalogue,
    '--tag',
    tag,
    '--log-format',
    'json',
    '--debug',
    ...flags,
  ]);
}

/** The number of requests that changed something, from the run's own count (--debug). */
function writesOf(result: CliResult): number {
  const line = result.stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg?: string; writes?: number })
    .find((entry) => entry.msg === 'requests in total');
  if (line?.writes === undefined) throw new Error(`no request count in:\n${result.stderr}`);
  return line.writes;
}

function byName(images: GlanceImage[], name: string): GlanceImage {
  const found = images.filter((image) => image.name === name);
  expect(found, `exactly one image called ${name}`).toHaveLength(1);
  return found[0] as GlanceImage;
}

const files = { a: makeQcow2(1), b: makeQcow2(2), c: makeQcow2(3), single: makeQcow2(1) };
const v = (version: string, file: { url: string; sha512: string }, build_date: string) => ({
  version,
  url: file.url,
  checksum: `sha512:${file.sha512}`,
  build_date,
});
const multi = (versions: ImageSpec['versions'], extra: Partial<ImageSpec> = {}) =>
  definition({ name: multiName, multi: true, versions, ...extra });
const single = definition({
  name: singleName,
  multi: false,
  versions: [v('1.0', files.single, '2025-05-01')],
  meta: { os_distro: 'cirros', os_purpose: 'minimal', uuid_validity: 'none' },
});

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

describe('image-manager against the real Glance', () => {
  let twoVersions: string;

  beforeAll(() => {
    twoVersions = writeCatalogue([
      multi([v('20250101', files.a, '2025-01-01'), v('20250201', files.b, '2025-02-01')]),
      single,
    ]);
  });

  it('--dry-run plans the imports and makes no write request', async () => {
    const result = manage(twoVersions, '--dry-run', '--output', 'json');
    expect(result.status).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.dryRun).toBe(true);
    const kinds = document.plan.actions.map((a: { kind: string }) => a.kind);
    expect(kinds.filter((k: string) => k === 'import')).toHaveLength(3);
    expect(writesOf(result)).toBe(0);
    expect(await managedImages(glance, tag)).toEqual([]);
  });

  it('imports a multi image with two versions and a single-version image, named, tagged, public, with every property', async () => {
    const result = manage(twoVersions);
    expect(result.status, result.stderr).toBe(0);
    const images = await managedImages(glance, tag);
    expect(images).toHaveLength(3);

    const current = byName(images, multiName);
    const older = byName(images, `${multiName} (20250101)`);
    const one = byName(images, `${singleName} 1.0`);
    for (const image of [current, older, one]) {
      expect(image.status).toBe('active');
      expect(image.visibility).toBe('public');
      expect(image.tags).toEqual(expect.arrayContaining([tag]));
    }
    expect(current.tags.sort()).toEqual(['os:ubuntu', tag].sort());
    expect(current).toMatchObject({
      internal_version: '20250201',
      image_name: multiName,
      image_description: multiName,
      image_original_user: 'ubuntu',
      image_source: files.b.url,
      image_build_date: '2025-02-01',
      os_distro: 'ubuntu',
      os_version: '24.04',
      os_purpose: 'generic',
      architecture: 'x86_64',
      hw_disk_bus: 'scsi',
      hypervisor_type: 'qemu',
      replace_frequency: 'never',
      uuid_validity: 'last-2',
      provided_until: 'none',
      min_ram: 512,
      os_hash_value: files.b.sha512,
    });
    expect(older).toMatchObject({ internal_version: '20250101', os_purpose: 'oldgeneric' });
    expect(one).toMatchObject({
      internal_version: '1.0',
      os_version: '1.0',
      os_distro: 'cirros',
      os_purpose: 'minimal',
    });
    expect(one.tags).toContain('os:cirros');
  });

  it('a second identical run makes no write request', () => {
    const result = manage(twoVersions);
    expect(result.status).toBe(0);
    expect(writesOf(result)).toBe(0);
  });

  it('brings an edited property of the definition to the existing image', async () => {
    const edited = writeCatalogue([
      multi([v('20250101', files.a, '2025-01-01'), v('20250201', files.b, '2025-02-01')], {
        meta: { replace_frequency: 'monthly', hotfix_hours: 24 },
        min_ram: 1024,
      }),
      single,
    ]);
    const result = manage(edited);
    expect(result.status, result.stderr).toBe(0);
    const current = byName(await managedImages(glance, tag), multiName);
    expect(current).toMatchObject({ replace_frequency: 'monthly', hotfix_hours: '24', min_ram: 1024 });
    expect(writesOf(manage(edited))).toBe(0);
  });

  it('a third version with --hide rotates the names and hides the outdated ones', async () => {
    const three = writeCatalogue([
      multi([
        v('20250101', files.a, '2025-01-01'),
        v('20250201', files.b, '2025-02-01'),
        v('20250301', files.c, '2025-03-01'),
      ]),
      single,
    ]);
    const before = byName(await managedImages(glance, tag), multiName);
    const result = manage(three, '--hide');
    expect(result.status, result.stderr).toBe(0);
    const images = await managedImages(glance, tag);
    const current = byName(images, multiName);
    expect(current.internal_version).toBe('20250301');
    expect(current.visibility).toBe('public');
    expect(current.os_purpose).toBe('generic');
    const previous = byName(images, `${multiName} (20250201)`);
    expect(previous.id).toBe(before.id);
    expect(previous.visibility).toBe('community');
    expect(previous.os_purpose).toBe('oldgeneric');
    expect(byName(images, `${multiName} (20250101)`).visibility).toBe('community');
  });

  it('--delete deletes the outdated versions past uuid_validity last-2', async () => {
    const three = writeCatalogue([
      multi([
        v('20250101', files.a, '2025-01-01'),
        v('20250201', files.b, '2025-02-01'),
        v('20250301', files.c, '2025-03-01'),
      ]),
      single,
    ]);
    const result = manage(three, '--hide', '--delete');
    expect(result.status, result.stderr).toBe(0);
    const names = (await managedImages(glance, tag)).map((image) => image.name).sort();
    expect(names).toEqual([multiName, `${multiName} (20250201)`, `${singleName} 1.0`].sort());
    // The deleted version is not imported again on the next run.
    const again = manage(three, '--hide', '--delete');
    expect(again.status).toBe(0);
    expect(writesOf(again)).toBe(0);
  });

  it('a broken definition file changes nothing and exits 2 naming the file', async () => {
    const broken = writeCatalogue([multi([v('20250101', files.a, '2025-01-01')])]);
    writeFileSync(path.join(broken, 'zz-broken.yml'), 'images:\n  - name: Broken\n    format: [qcow2\n');
    const before = await managedImages(glance, tag);
    const result = manage(broken, '--delete');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('zz-broken.yml');
    expect((await managedImages(glance, tag)).map((i) => `${i.id}:${i.name}:${i.visibility}`).sort()).toEqual(
      before.map((i) => `${i.id}:${i.name}:${i.visibility}`).sort(),
    );
  });

  it('a URL that answers 404 fails only its version and exits 1', async () => {
    const otherName = `E2E Other ${suffix}`;
    const catalogue = writeCatalogue([
      multi([
        v('20250201', files.b, '2025-02-01'),
        v('20250301', files.c, '2025-03-01'),
        { version: '20250401', url: `${e2e.httpBase}/missing-${suffix}.qcow2`, build_date: '2025-04-01' },
      ]),
      single,
      definition({
        name: otherName,
        multi: false,
        versions: [v('2', files.a, '2025-01-01')],
        meta: { os_distro: 'debian', os_version: '12' },
      }),
    ]);
    const result = manage(catalogue);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/missing-.*404/);
    const images = await managedImages(glance, tag);
    expect(byName(images, `${otherName} 2`).status).toBe('active');
    // The current image keeps its name: the failed version's rotation never happened.
    expect(byName(images, multiName).internal_version).toBe('20250301');
    expect(images.some((image) => image.internal_version === '20250401')).toBe(false);
  });
});
