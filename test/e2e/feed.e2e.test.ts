import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { e2e, glanceFor, managedImages, runCli, type CliResult } from './harness.js';
import { FeedTree } from './upstream-tree.js';

// A tag of this file's own: its runs never see (or touch) any other image in the cloud.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const name = `E2E Feed ${tag.slice(4)}`;
const { glance } = glanceFor(e2e.adminCloud);
const feed = new FeedTree();
const ASSET = 'openstack-amd64.qcow2';

function cli(...args: string[]): CliResult {
  if (args[0] === 'update') return runCli(args); // update reads upstreams and files, no cloud
  return runCli(['--cloud', e2e.adminCloud, '--tag', tag, ...args]);
}

/** A Talos-like definition: one image per release, following the feed; comments of the operator's own. */
function definitionText(version: { url: string; sha256: string }): string {
  return `---
# Test catalogue: ${name}. This comment must survive an update.
images:
  - name: ${name}
    enable: true
    format: qcow2
    login: none
    min_disk: 1
    min_ram: 512
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hypervisor_type: qemu
      os_distro: talos
      os_purpose: k8snode
      replace_frequency: never   # one image per release
      uuid_validity: none
      provided_until: none
    tags: []
    latest_url: ${feed.feedUrl}
    latest_asset: ${ASSET}
    versions:
      # the release we started with
      - version: '1.0.0'
        url: ${version.url}
        checksum: sha256:${version.sha256}
        build_date: 2026-10-01
`;
}

function entry(version: string, url: string, sha256: string, date: string): string {
  return `      - version: '${version}'\n        url: ${url}\n        checksum: sha256:${sha256}\n        build_date: ${date}\n`;
}

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  feed.remove();
});

describe('a releases feed: update pins the newest release, and --update imports it into the real Glance', () => {
  // The first release, then an older line with a higher tag published before it, a draft and a prerelease after.
  const first = feed.publish({
    tag: 'v1.0.0',
    publishedAt: '2026-10-01T12:00:00Z',
    assets: [{ name: ASSET, sizeMiB: 1, checksum: 'digest' }],
  })[ASSET]!;
  feed.publish({
    tag: 'v3.0.0',
    publishedAt: '2026-09-01T12:00:00Z',
    assets: [{ name: ASSET, sizeMiB: 1, checksum: 'digest' }],
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-feed-'));
  const file = path.join(dir, 'images.yml');
  writeFileSync(file, definitionText(first));
  let second: { url: string; sha256: string };

  it('with nothing newer published, update changes no byte (an older line with a higher tag is not taken)', () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--output', 'json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).definitions[0]).toMatchObject({
      name,
      layout: 'release-feed',
      status: 'current',
      changed: false,
      requests: 1,
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('update --dry-run prints the diff of a new release and writes nothing; drafts and prereleases are skipped', () => {
    second = feed.publish({
      tag: 'v1.1.0',
      publishedAt: '2026-11-20T08:30:00Z',
      assets: [{ name: ASSET, sizeMiB: 2, checksum: 'sums' }],
    })[ASSET]!;
    feed.publish({ tag: 'v1.2.0-rc.1', publishedAt: '2026-11-25T00:00:00Z', prerelease: true, assets: [] });
    feed.publish({ tag: 'v1.3.0', publishedAt: '2026-11-26T00:00:00Z', draft: true, assets: [] });
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`+        url: ${second.url}`);
    expect(result.stdout).toContain(`-        url: ${first.url}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it("update pins the release exactly (its sha256sum.txt's checksum, the tag, the day) and keeps the rest", () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir, '--output', 'json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).definitions[0]).toMatchObject({
      status: 'new',
      changed: true,
      upstream: { version: '1.1.0', url: second.url, checksum: `sha256:${second.sha256}`, checksumComputed: false },
    });
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(
      before.replace(
        entry('1.0.0', first.url, first.sha256, '2026-10-01'),
        entry('1.1.0', second.url, second.sha256, '2026-11-20'),
      ),
    );
    expect(after).toContain('This comment must survive an update.');
    expect(after).toContain('replace_frequency: never   # one image per release');
  });

  it('a second update changes no byte', () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${name}: up to date (1.1.0)\n`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a release that publishes no checksum: update computes it from the asset and says so', () => {
    const third = feed.publish({
      tag: 'v1.2.0',
      publishedAt: '2026-11-27T10:00:00Z',
      assets: [{ name: ASSET, sizeMiB: 3 }],
    })[ASSET]!;
    const result = cli('update', '--images', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${name}: 1.1.0 -> 1.2.0 (upstream publishes no checksum of it: this tool`);
    expect(readFileSync(file, 'utf8')).toContain(entry('1.2.0', third.url, third.sha256, '2026-11-27'));
    const again = cli('update', '--images', dir, '--output', 'json');
    expect(JSON.parse(again.stdout).definitions[0]).toMatchObject({ status: 'current', requests: 1 });
  });

  it('--update imports the newest release into Glance without writing the read-only file; the next run plans nothing', async () => {
    const newest = feed.publish({
      tag: 'v1.3.1',
      publishedAt: '2026-11-30T10:00:00Z',
      assets: [{ name: ASSET, sizeMiB: 2, checksum: 'digest' }],
    })[ASSET]!;
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    const dryRun = cli('--images', dir, '--update', '--dry-run', '--output', 'json');
    expect(dryRun.status, dryRun.stderr).toBe(0);
    expect(JSON.parse(dryRun.stdout).upstream).toEqual([
      expect.objectContaining({ definition: name, status: 'new', version: '1.3.1', url: newest.url }),
    ]);
    expect(await managedImages(glance, tag)).toEqual([]);

    const run = cli('--images', dir, '--update');
    expect(run.status, run.stderr).toBe(0);
    const images = (await managedImages(glance, tag)).filter((image) => image.image_name === name);
    expect(images.map((image) => [image.name, image.status])).toEqual([[`${name} 1.3.1`, 'active']]);
    expect(images[0]).toMatchObject({
      internal_version: '1.3.1',
      image_source: newest.url,
      image_build_date: '2026-11-30',
      os_version: '1.3.1',
    });
    expect(String(images[0]?.image_verification)).toMatch(/^verified/);
    expect(readFileSync(file, 'utf8')).toBe(before);

    const again = cli('--images', dir, '--update', '--dry-run');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    chmodSync(dir, 0o755);
  });
});
