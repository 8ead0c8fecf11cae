import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../src/definitions/load.js';
import type { ImageDefinition } from '../../../src/definitions/types.js';
import { layoutOf, upstreamOf } from '../../../src/upstream/layouts/registry.js';
import { splitUrl } from '../../../src/upstream/split-url.js';
import { hasPlaceholder, placeholderPattern } from '../../../src/upstream/placeholder.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const { definitions, warnings } = loadDefinitions(path.join(repoRoot, 'images'));

/** Every shipped definition that names its upstream, and how that upstream is laid out. */
const LAYOUTS: Readonly<Record<string, string>> = {
  'Ubuntu 24.04': 'dated-folders',
  'Ubuntu 22.04': 'dated-folders',
  'Debian 12': 'dated-folders',
  'Debian 13': 'dated-folders',
  'AlmaLinux 9': 'checksum-file',
  'CentOS Stream 9': 'checksum-file',
  'Rocky 9': 'checksum-file',
  'Fedora 44': 'checksum-file',
};

/** Definitions that follow a releases feed (`latest_url`) and the asset its releases attach (`latest_asset`). */
const FEEDS: Readonly<Record<string, RegExp>> = {
  'Garden Linux': /^openstack-gardener_prod-amd64-1877\.\d+-[0-9a-f]{8}\.tar\.xz$/,
};

/** Marker files (OSISM's buckets): the tracks each follows, none for one marker. */
const MARKERS: Readonly<Record<string, string[] | undefined>> = {
  'ubuntu-capi-image': ['1.35', '1.36', '1.37'],
  'OpenStack Octavia Amphora': undefined,
};

/** Pinned versions: nothing upstream to follow. */
const PINNED = ['Cirros', 'Flatcar Container Linux', 'Talos Linux', 'openSUSE Leap 16.0'];

type WithUpstream = ImageDefinition & { latest_url: string; latest_checksum_url: string };

function withUpstream(def: ImageDefinition): WithUpstream {
  expect(def.latest_url, `${def.name}: latest_url`).toBeDefined();
  expect(def.latest_checksum_url, `${def.name}: latest_checksum_url`).toBeDefined();
  return def as WithUpstream;
}

function source(def: WithUpstream) {
  return { latestUrl: def.latest_url, latestChecksumUrl: def.latest_checksum_url };
}

function newestUrl(def: ImageDefinition): string {
  const newest = def.versions.at(-1);
  if (newest === undefined) throw new Error(`${def.name} has no version`);
  return newest.url;
}

describe('upstreams of the shipped catalogue (images/)', () => {
  it('loads without warnings, and the tables name every definition once', () => {
    expect(warnings).toEqual([]);
    const named = [...Object.keys(LAYOUTS), ...Object.keys(FEEDS), ...Object.keys(MARKERS), ...PINNED];
    expect(definitions.map((def) => def.name).sort()).toEqual(named.sort());
  });

  it.each(Object.entries(FEEDS))(
    '%s follows a GitHub releases feed, its version in the shape update pins',
    (name, asset) => {
      const def = definitions.find((candidate) => candidate.name === name) as ImageDefinition;
      expect(upstreamOf(def)).toEqual({
        layout: 'release-feed',
        source: { latestUrl: def.latest_url, asset: def.latest_asset },
      });
      expect(def.latest_url).toMatch(/^https:\/\/api\.github\.com\/repos\/[^/]+\/[^/]+\/releases(?:\?per_page=100)?$/);
      const written = splitUrl(newestUrl(def));
      expect(written.file).toMatch(asset);
      expect(written.file).toMatch(placeholderPattern(def.latest_asset as string));
      expect(written.dir).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/releases\/download\/[^/]+$/);
    },
  );

  it('names latest_url and latest_checksum_url for every enabled definition that is replaced upstream', () => {
    const rolling = definitions.filter(
      (def) => def.enable && def.meta.replace_frequency !== 'never' && def.latest_asset === undefined,
    );
    expect(rolling.length).toBeGreaterThan(0);
    for (const def of rolling) withUpstream(def);
  });

  it.each(Object.entries(LAYOUTS))('%s is read as %s', (name, layout) => {
    const def = definitions.find((candidate) => candidate.name === name);
    expect(def, name).toBeDefined();
    expect(layoutOf(source(withUpstream(def as ImageDefinition)))).toBe(layout);
  });

  it.each(Object.entries(MARKERS))('%s follows marker files on https, tracks %j', (name, tracks) => {
    const def = definitions.find((candidate) => candidate.name === name) as ImageDefinition;
    const upstream = upstreamOf(def);
    expect(upstream).toMatchObject({ layout: 'marker', source: { latestUrl: def.latest_url } });
    expect(upstream && 'tracks' in upstream ? upstream.tracks : undefined).toEqual(tracks);
    expect(def.latest_url).toMatch(/^https:\/\/nbg1\.your-objectstorage\.com\/osism\/[^/]+\/last-/);
    // Filled in by update: nothing invented (images/README.md).
    expect(def.versions).toEqual([]);
  });

  it.each(PINNED)('%s names no upstream', (name) => {
    const def = definitions.find((candidate) => candidate.name === name);
    expect(def, name).toBeDefined();
    expect(def?.latest_url).toBeUndefined();
    expect(def?.latest_checksum_url).toBeUndefined();
    expect(def?.latest_asset).toBeUndefined();
  });

  it('uses https and keeps the checksum file on the image host', () => {
    for (const name of Object.keys(LAYOUTS)) {
      const def = withUpstream(definitions.find((candidate) => candidate.name === name) as ImageDefinition);
      expect(def.latest_url, name).toMatch(/^https:\/\//);
      expect(new URL(def.latest_checksum_url).host, name).toBe(new URL(newestUrl(def)).host);
      expect(splitUrl(def.latest_url).dir.startsWith(`https://${new URL(newestUrl(def)).host}/`), name).toBe(true);
    }
  });

  // What `update` would pin must look like what the file already holds, or the first run would rewrite the
  // catalogue with a differently shaped URL.
  it('writes the newest version in the shape update pins', () => {
    for (const name of Object.keys(LAYOUTS)) {
      const def = withUpstream(definitions.find((candidate) => candidate.name === name) as ImageDefinition);
      const latest = splitUrl(def.latest_url);
      const written = splitUrl(newestUrl(def));
      const layout = layoutOf(source(def));
      if (layout === 'dated-folders') {
        // A sibling dated folder of the alias, holding the same file (Debian: with the folder's stamp).
        const parent = latest.dir.slice(0, latest.dir.lastIndexOf('/'));
        const folder = written.dir.slice(parent.length + 1);
        expect(written.dir.startsWith(`${parent}/`), name).toBe(true);
        expect(folder, name).toMatch(/^(?:release-)?\d{8}(?:-\d+)?$/);
        const dot = latest.file.lastIndexOf('.');
        const stamped = `${latest.file.slice(0, dot)}-${folder}${latest.file.slice(dot)}`;
        expect([latest.file, stamped], name).toContain(written.file);
        expect(splitUrl(def.latest_checksum_url).dir, name).toBe(latest.dir);
      } else if (hasPlaceholder(latest.file)) {
        expect(written.file, name).toMatch(placeholderPattern(latest.file));
      } else if (/[-.]latest[-.]/.test(latest.file)) {
        const [before, after] = latest.file.split(/latest/);
        expect(written.file.startsWith(before as string) && written.file.endsWith(after as string), name).toBe(true);
        expect(written.dir, name).toBe(latest.dir);
      } else {
        expect(written.file, name).toBe(latest.file);
      }
    }
  });
});
