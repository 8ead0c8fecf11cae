import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { e2e, glanceFor, managedImages, runCli, type CliResult } from './harness.js';
import { UpstreamTree } from './upstream-tree.js';

// Marker-file upstreams as OSISM publishes them: Cluster API images per Kubernetes minor, an Octavia amphora.
// Each build has its own size: qemu-img writes the same bytes for the same size, and a digest already held
// is the same build.
const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const tree = new UpstreamTree();

const capiFile = (minor: string, patch: number) =>
  `ubuntu-2404-kube-v${minor}/ubuntu-2404-kube-v${minor}.${patch}.qcow2`;
const held = tree.publishMarked('capi', 'last-1.33', '2026-10-01', capiFile('1.33', 4), 1);
const v1335 = tree.publishMarked('capi', 'last-1.33', '2026-11-15', capiFile('1.33', 5), 3);
const v1342 = tree.publishMarked('capi', 'last-1.34', '2026-11-20', capiFile('1.34', 2), 2);
const amphoraFile = 'octavia-amphora-haproxy-2025.2.20261201.qcow2';
const amphora = tree.publishMarked('amphora', 'last-2025.2', '2026-12-01', amphoraFile, 4);

const capiName = 'ubuntu-capi-image';
const amphoraName = `E2E Amphora ${suffix}`;
const meta = (purpose: string) => `    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hypervisor_type: qemu
      os_distro: ubuntu
      os_purpose: ${purpose}
      replace_frequency: never
      uuid_validity: none
      provided_until: none
`;
const heldEntry = `      - version: v1.33.4   # the build we started with
        url: ${held.url}
        checksum: sha256:${held.sha256}
        build_date: 2026-10-01
`;
const original = `---
# Marker upstreams. This comment must survive an update.
images:
  - name: ${capiName}
    keep: true
    separator: "-"
    format: qcow2
    login: ubuntu
    min_disk: 1
    min_ram: 512
    status: active
    visibility: public
    multi: false
${meta('k8snode')}    tags: []
    upstream_layout: marker
    latest_url: ${tree.base}/capi/last-{track}
    upstream_tracks: ['1.33', '1.34']
    versions:
${heldEntry}  - name: ${amphoraName}
    format: qcow2
    login: ubuntu
    min_disk: 1
    min_ram: 512
    status: active
    visibility: private
    multi: false
${meta('network')}    tags: [amphora]
    upstream_layout: marker
    latest_url: ${amphora.markerUrl}
    versions: []
`;

function catalogue(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-marker-'));
  const file = path.join(dir, 'images.yml');
  writeFileSync(file, original);
  return { dir, file };
}

function cli(...args: string[]): CliResult {
  if (args[0] === 'update') return runCli(args);
  return runCli(['--cloud', e2e.adminCloud, '--tag', tag, ...args]);
}

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
  tree.remove();
});

describe('marker files: update pins each build exactly, --update imports them into the real Glance', () => {
  const { dir, file } = catalogue();

  it('update --dry-run shows the builds and writes nothing', () => {
    const result = cli('update', '--images', dir, '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`+        url: ${v1335.url}`);
    expect(result.stdout).toContain(`+        url: ${v1342.url}`);
    expect(result.stdout).toContain(`+        url: ${amphora.url}`);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('update writes URL, checksum, version and build date of each, drops only the older 1.33, keeps comments', () => {
    const result = cli('update', '--images', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `${capiName} (track 1.33): v1.33.4 -> v1.33.5\n${capiName} (track 1.34): none -> v1.34.2\n` +
        `${amphoraName}: none -> 20261201\n`,
    );
    const written = (version: string, build: { url: string; sha256: string }, day: string) =>
      `      - version: ${version}\n        url: ${build.url}\n        checksum: sha256:${build.sha256}\n` +
      `        build_date: ${day}\n`;
    expect(readFileSync(file, 'utf8')).toBe(
      original
        .replace(heldEntry, `${written("'v1.33.5'", v1335, '2026-11-15')}${written("'v1.34.2'", v1342, '2026-11-20')}`)
        .replace('    versions: []\n', `    versions:\n${written("'20261201'", amphora, '2026-12-01')}`),
    );
  });

  it('a second update changes no byte', () => {
    const before = readFileSync(file, 'utf8');
    const result = cli('update', '--images', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${capiName} (track 1.34): up to date (v1.34.2)`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('--update in a run imports each build from the file as shipped, which it leaves as it is', async () => {
    const shipped = catalogue();
    const result = cli('--images', shipped.dir, '--update');
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(shipped.file, 'utf8')).toBe(original);
    const images = await managedImages(glance, tag);
    const byName = Object.fromEntries(images.map((image) => [image.name, image]));
    expect(Object.keys(byName).sort()).toEqual(
      [`${amphoraName} 20261201`, 'ubuntu-capi-image-v1.33.5', 'ubuntu-capi-image-v1.34.2'].sort(),
    );
    expect(byName['ubuntu-capi-image-v1.33.5']).toMatchObject({
      status: 'active',
      visibility: 'public',
      image_source: v1335.url,
      image_build_date: '2026-11-15',
      internal_version: 'v1.33.5',
      os_purpose: 'k8snode',
    });
    expect(byName[`${amphoraName} 20261201`]).toMatchObject({
      status: 'active',
      visibility: 'private',
      image_source: amphora.url,
      tags: expect.arrayContaining(['amphora']),
    });
    for (const image of images) expect(String(image.image_verification), image.id).toMatch(/^verified/);

    const again = cli('--images', shipped.dir, '--update', '--dry-run', '--output', 'json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).plan.actions).toEqual([]);
  });
});
