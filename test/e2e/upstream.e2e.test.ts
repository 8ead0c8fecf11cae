import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../src/openstack/image.js';
import { e2e, glanceFor, managedImages, runCli, type CliResult } from './harness.js';
import { UpstreamTree } from './upstream-tree.js';

// A tag of this file's own: its runs never see (or touch) any other image in the cloud.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const trees: UpstreamTree[] = [];

function cli(...args: string[]): CliResult {
  if (args[0] === 'update') return runCli(args); // update reads upstreams and files, no cloud
  return runCli(['--cloud', e2e.adminCloud, '--tag', tag, ...args]);
}

async function imagesOf(name: string): Promise<GlanceImage[]> {
  return (await managedImages(glance, tag)).filter((image) => image.image_name === name);
}

/** A definition file as an operator writes it: comments, quoting and key order of their own. */
function definitionText(name: string, upstream: string, versions: string): string {
  return `---
# Test catalogue: ${name}. This comment must survive an update.
images:
  - name: ${name}
    enable: true
    format: qcow2
    login: ubuntu
    min_disk: 1
    min_ram: 512
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '24.04'
      os_purpose: generic
      replace_frequency: never   # kept as written
      uuid_validity: last-3
      provided_until: none
    tags: []
${upstream}
    versions:
${versions}`;
}

function writeDefinition(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-upstream-'));
  const file = path.join(dir, 'images.yml');
  writeFileSync(file, text);
  return { dir, file };
}

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  for (const tree of trees) tree.remove();
});

describe('image-manager update against a local upstream and the real Glance', () => {
  const name = `E2E Upstream ${suffix}`;
  const tree = new UpstreamTree();
  trees.push(tree);
  const older = tree.publishBuild('20261101', 1);
  const { dir, file } = writeDefinition(
    definitionText(
      name,
      `    latest_checksum_url: ${tree.latestChecksumUrl}\n    latest_url: ${tree.latestUrl}`,
      `      # the build we started with
      - version: '20261101'
        url: ${older.url}
        checksum: sha256:${older.sha256}
        build_date: 2026-11-01
`,
    ),
  );
  let newer: { url: string; sha256: string };

  it('imports the older build, and update with nothing new published changes no byte', () => {
    expect(cli('--images', dir).status).toBe(0);
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--output', 'json');
    expect(result.status, result.stderr).toBe(0);
    const [entry] = JSON.parse(result.stdout).definitions;
    expect(entry).toMatchObject({ name, status: 'current', changed: false, layout: 'dated-folders' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('update --dry-run prints the diff and writes nothing', () => {
    newer = tree.publishBuild('20261120', 2);
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`+        url: ${newer.url}`);
    expect(result.stdout).toContain(`-        url: ${older.url}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('update writes the newer build exactly and keeps the rest of the file', () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--output', 'json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).definitions[0]).toMatchObject({
      status: 'new',
      changed: true,
      upstream: { version: '20261120', url: newer.url },
    });
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      before.replace(
        `      - version: '20261101'
        url: ${older.url}
        checksum: sha256:${older.sha256}
        build_date: 2026-11-01
`,
        `      - version: '20261120'
        url: ${newer.url}
        checksum: sha256:${newer.sha256}
        build_date: 2026-11-20
`,
      ),
    );
    expect(after).toContain('This comment must survive an update.');
    expect(after).toContain('replace_frequency: never   # kept as written');
  });

  it('a second update changes nothing', () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${name}: up to date (20261120)`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('the next --hide run imports the new build and rotates the old one', async () => {
    const result = cli('--images', dir, '--hide');
    expect(result.status, result.stderr).toBe(0);
    const images = await imagesOf(name);
    const current = images.find((image) => image.name === name);
    const previous = images.find((image) => image.name === `${name} (20261101)`);
    expect(current).toMatchObject({
      internal_version: '20261120',
      image_source: newer.url,
      image_build_date: '2026-11-20',
      visibility: 'public',
    });
    expect(previous).toMatchObject({ internal_version: '20261101', visibility: 'community' });
  });
});

describe('--update: discovery in a run, the definition files untouched', () => {
  const name = `E2E Cron ${suffix}`;
  const tree = new UpstreamTree();
  trees.push(tree);
  const shipped = tree.publishBuild('20261001', 1);
  const { dir, file } = writeDefinition(
    definitionText(
      name,
      `    latest_checksum_url: ${tree.latestChecksumUrl}\n    latest_url: ${tree.latestUrl}`,
      `      - version: '20261001'\n        url: ${shipped.url}\n        checksum: sha256:${shipped.sha256}\n        build_date: 2026-10-01\n`,
    ),
  );

  it('imports the newest upstream build without writing the read-only catalogue; the next run plans nothing', async () => {
    const newest = tree.publishBuild('20261115', 2);
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    const dryRun = cli('--images', dir, '--update', '--dry-run', '--output', 'json');
    expect(dryRun.status, dryRun.stderr).toBe(0);
    const planned = JSON.parse(dryRun.stdout);
    expect(planned.upstream).toEqual([
      expect.objectContaining({ definition: name, status: 'new', version: '20261115', url: newest.url }),
    ]);
    expect(planned.plan.actions.map((action: { kind: string }) => action.kind)).toContain('import');

    const run = cli('--images', dir, '--update');
    expect(run.status, run.stderr).toBe(0);
    const images = await imagesOf(name);
    expect(images.map((image) => [image.name, image.internal_version])).toEqual([[name, '20261115']]);
    expect(images[0]).toMatchObject({ image_source: newest.url, image_build_date: '2026-11-15' });
    expect(readFileSync(file, 'utf8')).toBe(before);

    const again = cli('--images', dir, '--update', '--dry-run');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    chmodSync(dir, 0o755);
  });
});

describe("OIM's version: latest", () => {
  const name = `E2E Rolling ${suffix}`;
  const tree = new UpstreamTree();
  trees.push(tree);
  const first = tree.publishRolling(1, new Date('2026-11-02T10:00:00Z'));
  const { dir } = writeDefinition(
    definitionText(
      name,
      '',
      `      - version: latest\n        url: ${first.url}\n        checksums_url: ${first.checksumsUrl}\n`,
    ),
  );

  it('imports the build with its upstream checksum, and the Last-Modified day as version and build date', async () => {
    const result = cli('--images', dir);
    expect(result.status, result.stderr).toBe(0);
    const images = await imagesOf(name);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      name,
      internal_version: '20261102',
      image_build_date: '2026-11-02',
      upstream_checksum: first.sha256,
    });
  });

  it('does nothing while the upstream checksum stays the same', () => {
    const result = cli('--images', dir, '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Nothing to do');
  });

  it('imports a new image when the upstream checksum changes and rotates the previous one', async () => {
    const second = tree.publishRolling(2, new Date('2026-11-25T10:00:00Z'));
    const result = cli('--images', dir, '--hide');
    expect(result.status, result.stderr).toBe(0);
    const images = await imagesOf(name);
    const current = images.find((image) => image.name === name);
    expect(current).toMatchObject({
      internal_version: '20261125',
      image_build_date: '2026-11-25',
      upstream_checksum: second.sha256,
    });
    expect(images.find((image) => image.name === `${name} (20261102)`)).toMatchObject({
      upstream_checksum: first.sha256,
      visibility: 'community',
    });
    expect(cli('--images', dir, '--dry-run').stdout).toContain('Nothing to do');
  });
});
