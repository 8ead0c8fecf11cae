import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/net/fetch.js';
import { runMain } from './run-main.js';

const CAPI = 'https://objects.example.org/osism/openstack-k8s-capi-images';
const hex = (char: string) => char.repeat(64);
const capiFile = (minor: string, patch: number) =>
  `ubuntu-2404-kube-v${minor}/ubuntu-2404-kube-v${minor}.${patch}.qcow2`;

/** OSISM's CAPI bucket: per minor a `last-MINOR` marker and the file it names with its .CHECKSUM. */
function bucket(builds: Record<string, { patch: number; day: string; digest: string }>) {
  const asked: string[] = [];
  const pages: Record<string, string> = {};
  for (const [minor, { patch, day, digest }] of Object.entries(builds)) {
    const file = capiFile(minor, patch);
    pages[`${CAPI}/last-${minor}`] = `${day} ${file}\n`;
    pages[`${CAPI}/${file}.CHECKSUM`] = `${digest}  ${path.basename(file)}\n`;
  }
  const fetch: FetchLike = async (url, init) => {
    asked.push(`${init.method} ${url}`);
    const body = pages[url];
    return new Response(init.method === 'HEAD' ? null : (body ?? 'not found'), {
      status: body === undefined ? 404 : 200,
    }) as never;
  };
  return { fetch, asked };
}

const header = `---
images:
  # Cluster API node images, one per Kubernetes patch release
  - name: ubuntu-capi-image
    enable: true
    keep: true
    separator: "-"
    format: qcow2
    login: ubuntu
    min_disk: 20
    min_ram: 512
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hypervisor_type: qemu
      os_distro: ubuntu
      os_purpose: k8snode
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    upstream_layout: marker
    latest_url: ${CAPI}/last-{track}
`;

const entry = (
  minor: string,
  patch: number,
  digest: string,
  day: string,
  quote = '',
) => `      - version: ${quote}v${minor}.${patch}${quote}
        url: ${CAPI}/${capiFile(minor, patch)}
        checksum: sha256:${digest}
        build_date: ${day}
`;

function catalogue(tracks: string, versions: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-marker-'));
  const file = path.join(dir, 'capi.yml');
  writeFileSync(file, `${header}    upstream_tracks: ${tracks}\n    versions:${versions}`);
  return { dir, file };
}

const run = (args: string[], fetch: FetchLike) => runMain(args, { fetch });

describe('update with upstream_tracks (marker files)', () => {
  it('adds the newest build of each track, drops only the older version of the same track, and is then quiet', async () => {
    const held = `\n${entry('1.33', 4, hex('4'), '2026-10-01')}${entry('1.34', 1, hex('1'), '2026-09-01')}`;
    const { dir, file } = catalogue("['1.33', '1.34', '1.35']", held);
    const before = readFileSync(file, 'utf8');
    const { fetch } = bucket({
      '1.33': { patch: 5, day: '2026-11-15', digest: hex('5') },
      '1.34': { patch: 1, day: '2026-09-01', digest: hex('1') },
      '1.35': { patch: 2, day: '2026-11-20', digest: hex('2') },
    });
    const first = await run(['update', '--images', dir], fetch);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      'ubuntu-capi-image (track 1.33): v1.33.4 -> v1.33.5\n' +
        'ubuntu-capi-image (track 1.34): up to date (v1.34.1)\n' +
        'ubuntu-capi-image (track 1.35): none -> v1.35.2\n',
    );
    const expected = before.replace(
      held,
      `\n${entry('1.34', 1, hex('1'), '2026-09-01')}${entry('1.33', 5, hex('5'), '2026-11-15', "'")}${entry('1.35', 2, hex('2'), '2026-11-20', "'")}`,
    );
    expect(readFileSync(file, 'utf8')).toBe(expected);

    const second = await run(['update', '--images', dir, '--output', 'json'], fetch);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const document = JSON.parse(second.stdout);
    expect(document.definitions.map((entry: { track: string; status: string }) => [entry.track, entry.status])).toEqual(
      [
        ['1.33', 'current'],
        ['1.34', 'current'],
        ['1.35', 'current'],
      ],
    );
    expect(document.definitions[0]).toMatchObject({
      layout: 'marker',
      current: { version: 'v1.33.5', build_date: '2026-11-15' },
      upstream: { version: 'v1.33.5', url: `${CAPI}/${capiFile('1.33', 5)}`, date: '20261115' },
    });
  });

  it('fills an empty versions list, one entry per track, in track order', async () => {
    const { dir, file } = catalogue("['1.35', '1.36']", ' []\n');
    const { fetch } = bucket({
      '1.35': { patch: 9, day: '2026-11-20', digest: hex('9') },
      '1.36': { patch: 5, day: '2026-11-21', digest: hex('8') },
    });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(
      `    versions:\n      - version: 'v1.35.9'\n        url: ${CAPI}/${capiFile('1.35', 9)}\n` +
        `        checksum: sha256:${hex('9')}\n        build_date: 2026-11-20\n      - version: 'v1.36.5'\n`,
    );
  });

  it('writes a rebuild under a version it holds (another digest) as v1.33.5.1, replacing v1.33.5 in its track', async () => {
    const { dir, file } = catalogue("['1.33']", `\n${entry('1.33', 5, hex('5'), '2026-11-15')}`);
    const { fetch } = bucket({ '1.33': { patch: 5, day: '2026-11-20', digest: hex('6') } });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('ubuntu-capi-image (track 1.33): v1.33.5 -> v1.33.5.1\n');
    expect(readFileSync(file, 'utf8')).toContain(`checksum: sha256:${hex('6')}\n        build_date: 2026-11-20\n`);
    expect(readFileSync(file, 'utf8')).not.toContain(hex('5'));
  });

  it('a track whose marker fails holds its file back, naming the marker (exit 1)', async () => {
    const { dir, file } = catalogue("['1.33', '1.34']", ' []\n');
    const before = readFileSync(file, 'utf8');
    const { fetch } = bucket({ '1.33': { patch: 5, day: '2026-11-15', digest: hex('5') } });
    const result = await run(['update', '--images', dir], fetch);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ubuntu-capi-image (track 1.34): failed: ${CAPI}/last-1.34: answered HTTP 404`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('--dry-run shows both new entries and writes nothing', async () => {
    const { dir, file } = catalogue("['1.33', '1.34']", ' []\n');
    const before = readFileSync(file, 'utf8');
    const { fetch } = bucket({
      '1.33': { patch: 5, day: '2026-11-15', digest: hex('5') },
      '1.34': { patch: 2, day: '2026-11-16', digest: hex('2') },
    });
    const result = await run(['update', '--images', dir, '--dry-run'], fetch);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("+      - version: 'v1.33.5'");
    expect(result.stdout).toContain("+      - version: 'v1.34.2'");
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('upstream_tracks in a definition', () => {
  const load = async (tracks: string, url = `${CAPI}/last-{track}`, layout = 'marker') => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-marker-'));
    const text = header
      .replace(`${CAPI}/last-{track}`, url)
      .replace('upstream_layout: marker', `upstream_layout: ${layout}`);
    writeFileSync(path.join(dir, 'capi.yml'), `${text}${tracks}    versions: []\n`);
    const { fetch, asked } = bucket({});
    const result = await run(['update', '--images', dir], fetch);
    return { ...result, asked };
  };

  it.each([
    [
      'unquoted numbers',
      '    upstream_tracks: [1.30, 1.31]\n',
      'upstream_tracks: must be a non-empty list of quoted texts',
    ],
    ['an empty list', '    upstream_tracks: []\n', 'upstream_tracks: must be a non-empty list'],
    ['a slash', "    upstream_tracks: ['1.33/../x']\n", 'holds a character other than letters, digits'],
    ['a track twice', "    upstream_tracks: ['1.33', '1.33']\n", 'names track "1.33" twice'],
  ])('refuses %s before asking anything (exit 2)', async (_, tracks, message) => {
    const result = await load(tracks);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.asked).toEqual([]);
  });

  it('refuses {track} without upstream_tracks, and upstream_tracks without {track}', async () => {
    const without = await load('');
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('latest_url: holds {track} but upstream_tracks names no track');
    const noPlace = await load("    upstream_tracks: ['1.33']\n", `${CAPI}/last-1.33`);
    expect(noPlace.code).toBe(2);
    expect(noPlace.stderr).toContain('upstream_tracks: latest_url must hold {track}, where each track goes');
  });

  it('fails a definition whose tracks a layout that reads two URLs would ignore, without a request', async () => {
    const result = await load(
      "    upstream_tracks: ['1.33']\n    latest_checksum_url: https://example.org/SUMS\n",
      undefined,
      'sidecar',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('upstream_tracks is read by upstream_layout marker only; name it');
    expect(result.asked).toEqual([]);
  });
});
