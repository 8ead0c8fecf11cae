import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../../src/definitions/load.js';
import { checkBeforeRun } from '../../../../src/run/preflight.js';
import {
  LAYOUTS,
  layoutNamed,
  layoutOf,
  unknownLayout,
  upstreamOf,
} from '../../../../src/upstream/layouts/registry.js';
import { TempDirs, definitionFile, edit } from '../../definitions/helpers.js';
import { REAL, upstreamDefinition } from '../fake-upstream.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

describe('the layout registry', () => {
  it('holds each layout once, found by its name', () => {
    const names = LAYOUTS.map((layout) => layout.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(layoutNamed(name).name).toBe(name);
  });

  it('knows the names a definition may give, and says which it knows for any other', () => {
    for (const layout of LAYOUTS) expect(unknownLayout(layout.name)).toBeUndefined();
    expect(unknownLayout(undefined)).toBeUndefined();
    expect(unknownLayout('folders')).toBe(
      'must be one of release-feed, sidecar, dated-folders, checksum-file, marker; got "folders"',
    );
  });
});

describe('layoutOf', () => {
  it('tells each real upstream apart', () => {
    for (const real of Object.values(REAL)) {
      expect(layoutOf(real), real.name).toBe(real.layout);
    }
  });

  it('takes a dated folder like an alias one, and a checksum file elsewhere for a folder checksum file', () => {
    const base = 'https://cloud-images.ubuntu.com/noble/';
    expect(layoutOf({ latestUrl: `${base}20260705/x.img`, latestChecksumUrl: `${base}20260705/SHA256SUMS` })).toBe(
      'dated-folders',
    );
    expect(
      layoutOf({ latestUrl: `${base}release-20260618/x.img`, latestChecksumUrl: `${base}release-20260618/SHA256SUMS` }),
    ).toBe('dated-folders');
    // The checksum file in another folder than the image: not a dated layout.
    expect(layoutOf({ latestUrl: `${base}current/x.img`, latestChecksumUrl: `${base}SHA256SUMS` })).toBe(
      'checksum-file',
    );
    // A folder that is neither an alias nor dated.
    expect(layoutOf({ latestUrl: `${base}images/x.img`, latestChecksumUrl: `${base}images/SHA256SUMS` })).toBe(
      'checksum-file',
    );
  });

  it('reads a placeholder as a checksum file, even where the checksum file looks like a sidecar', () => {
    const url = String.raw`https://example.org/img/x-HEREBE\d+DRAGONS.qcow2`;
    expect(layoutOf({ latestUrl: url, latestChecksumUrl: `${url}.sha256` })).toBe('checksum-file');
  });

  it('recognises no layout in a sidecar kept in another folder than its image', () => {
    const source = {
      latestUrl: 'https://example.org/images/x.qcow2',
      latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256',
    };
    expect(layoutOf(source)).toBeUndefined();
  });
});

describe('upstreamOf', () => {
  const sidecarShaped = {
    latestUrl: 'https://images.example.org/cloud/latest/x.qcow2',
    latestChecksumUrl: 'https://images.example.org/cloud/latest/x.qcow2.sha256',
  };

  it('reads the layout the URLs have the shape of', () => {
    expect(upstreamOf(upstreamDefinition('x', sidecarShaped))).toEqual({ layout: 'sidecar', source: sidecarShaped });
  });

  it('takes the layout a definition names over the one its URLs look like', () => {
    const def = { ...upstreamDefinition('x', sidecarShaped), upstream_layout: 'checksum-file' as const };
    expect(upstreamOf(def)).toEqual({ layout: 'checksum-file', source: sidecarShaped });
  });

  it('names no upstream without both URLs, unless the definition names a layout', () => {
    expect(upstreamOf(upstreamDefinition('x', undefined))).toBeUndefined();
    const { latest_checksum_url: _dropped, ...half } = upstreamDefinition('x', sidecarShaped);
    expect(upstreamOf(half)).toBeUndefined();
    expect(upstreamOf({ ...half, upstream_layout: 'sidecar' })).toEqual({
      problem: 'upstream_layout sidecar reads latest_url and latest_checksum_url; latest_checksum_url is missing',
    });
  });

  it('says which URLs no layout recognises, and how to name one', () => {
    const source = {
      latestUrl: 'https://example.org/images/x.qcow2',
      latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256',
    };
    expect(upstreamOf(upstreamDefinition('x', source))).toEqual({
      problem:
        `no upstream layout recognises latest_url ${source.latestUrl} with latest_checksum_url ` +
        `${source.latestChecksumUrl}; name one with upstream_layout (release-feed, sidecar, dated-folders, checksum-file, marker)`,
    });
  });
});

describe('the shipped catalogue (images/)', () => {
  const repoRoot = path.resolve(import.meta.dirname, '../../../..');
  const { definitions } = loadDefinitions(path.join(repoRoot, 'images'));

  // Which layout each shipped definition has is pinned in test/unit/definitions/shipped-upstreams.test.ts.
  it('reads every definition that names its upstream with a layout, none with a problem', () => {
    const upstreams = definitions.flatMap((def) => {
      const upstream = upstreamOf(def);
      return upstream === undefined ? [] : [{ name: def.name, upstream }];
    });
    expect(upstreams).toHaveLength(11);
    for (const { name, upstream } of upstreams) expect(upstream, name).toHaveProperty('layout');
    const used = new Set(upstreams.map(({ upstream }) => ('layout' in upstream ? upstream.layout : undefined)));
    expect([...used].sort()).toEqual(['checksum-file', 'dated-folders', 'marker', 'release-feed']);
  });
});

describe('upstream_layout in a definition file', () => {
  const withKey = (value: string) =>
    edit(
      definitionFile(),
      '    tags: []\n',
      '    tags: []\n' +
        '    latest_url: https://example.org/images/x.qcow2\n' +
        '    latest_checksum_url: https://example.org/images/x.qcow2.sha256\n' +
        `    upstream_layout: ${value}\n`,
    );

  it('is loaded, without an unknown-key warning', () => {
    const loaded = dirs.load(withKey('checksum-file'));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.definitions[0]?.upstream_layout).toBe('checksum-file');
    expect(upstreamOf(loaded.definitions[0]!)).toMatchObject({ layout: 'checksum-file' });
  });

  it('is absent unless written', () => {
    expect(dirs.load(definitionFile()).definitions[0]).not.toHaveProperty('upstream_layout');
  });

  it('is refused before a run, naming the file, the image, the field and the known layouts, when unknown', () => {
    const loaded = dirs.load(withKey('folders'));
    const def = loaded.definitions[0]!;
    const issues = checkBeforeRun(loaded.definitions, { localFileDirs: [], propertyQuota: 128 });
    expect(issues).toEqual([
      {
        file: def.file,
        line: def.line,
        image: def.name,
        path: 'upstream_layout',
        message: 'must be one of release-feed, sidecar, dated-folders, checksum-file, marker; got "folders"',
      },
    ]);
    expect(upstreamOf(def)).toEqual({
      problem:
        'upstream_layout must be one of release-feed, sidecar, dated-folders, checksum-file, marker; got "folders"',
    });
  });
});
