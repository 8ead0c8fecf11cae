import { describe, expect, it } from 'vitest';
import { def, imports, run, version } from './helpers.js';

const URL = 'https://images.example.com/img-20240301.qcow2';

function sourcesOf(d: ReturnType<typeof def>, mirrorBase?: string) {
  const action = imports(run(d, [], mirrorBase ? { mirrorBase } : {})).at(-1);
  if (!action) throw new Error('no import');
  return action;
}

describe('plan: where an import reads the image (mirror first, then url)', () => {
  it('a version with mirror_url: the mirror first, then url; image_source stays url', () => {
    const d = def({ versions: [version('20240301', { mirror_url: 'https://mirror.internal/img.qcow2' })] });
    const action = sourcesOf(d, 'https://other-mirror.example/base');
    expect(action.source.from).toEqual([
      { origin: 'mirror', url: 'https://mirror.internal/img.qcow2' },
      { origin: 'url', url: URL },
    ]);
    expect(action.desired.properties.image_source).toBe(URL);
    expect(action.summary).toBe(`import Ubuntu 24.04 from https://mirror.internal/img.qcow2, else ${URL}`);
  });

  it('no mirror: url alone', () => {
    expect(sourcesOf(def({ versions: ['20240301'] })).source.from).toEqual([{ origin: 'url', url: URL }]);
  });

  it('--mirror-base derives OIM names: <base>/<shortname>/<version>-<shortname>.<format>', () => {
    const d = def({ shortname: 'ubuntu-24.04', versions: ['20240301'] });
    const action = sourcesOf(d, 'https://swift.example/v1/AUTH_p/images/');
    expect(action.source.from).toEqual([
      { origin: 'mirror', url: 'https://swift.example/v1/AUTH_p/images/ubuntu-24.04/20240301-ubuntu-24.04.qcow2' },
      { origin: 'url', url: URL },
    ]);
    expect(action.desired.properties.image_source).toBe(URL);
  });

  it('--mirror-base with a packed url and mirror_checksum: the unpacked image, named by the format, checked by it', () => {
    const mirrorChecksum = { algo: 'sha256', hex: 'b'.repeat(64) };
    const packed = version('20240301', {
      url: 'https://images.example.com/img-20240301.raw.xz',
      mirror_checksum: mirrorChecksum,
    });
    const d = def({ shortname: 'flatcar', format: 'raw', versions: [packed] });
    const result = run(d, [], { mirrorBase: 'https://mirror.example/m' });
    expect(imports(result).at(-1)?.source).toMatchObject({
      from: [
        { origin: 'mirror', url: 'https://mirror.example/m/flatcar/20240301-flatcar.raw', mirrorChecksum },
        { origin: 'url', url: 'https://images.example.com/img-20240301.raw.xz' },
      ],
      checksum: { algo: 'sha256', hex: 'a'.repeat(64) },
    });
    expect(result.notes.filter((note) => note.message.includes('mirror_checksum'))).toEqual([]);
  });

  it('a packed url without mirror_checksum, the mirror derived by --mirror-base: url only, a warning says why', () => {
    const packed = version('20240301', { url: 'https://images.example.com/img-20240301.raw.xz' });
    const d = def({ shortname: 'flatcar', format: 'raw', versions: [packed] });
    const result = run(d, [], { mirrorBase: 'https://mirror.example/m' });
    const action = imports(result).at(-1);
    expect(action?.source.from).toEqual([{ origin: 'url', url: 'https://images.example.com/img-20240301.raw.xz' }]);
    expect(action?.summary).toBe('import Ubuntu 24.04 from https://images.example.com/img-20240301.raw.xz');
    expect(result.notes).toContainEqual({
      level: 'warn',
      definition: 'Ubuntu 24.04',
      image: 'Ubuntu 24.04',
      message:
        'version 20240301: its url is a .xz and it has no mirror_checksum to verify the --mirror-base copy ' +
        '(unpacked) by; importing from url; `image-manager mirror --write-mirror-url` records it',
    });
  });

  it("a packed url with an explicit mirror_url and no mirror_checksum: the mirror first, checked against checksum (OIM's meaning)", () => {
    // OIM's own gardenlinux.yml: a .tar.xz url, a .qcow2 mirror_url, and the checksum of what the import reads.
    const mirror = 'https://mirror.internal/gardenlinux/1877.10/openstack-gardener_prod-amd64-1877.10.qcow2';
    const packed = version('20240301', { url: 'https://images.example.com/img-20240301.tar.xz', mirror_url: mirror });
    const result = run(def({ versions: [packed] }), [], { mirrorBase: 'https://mirror.example/m' });
    expect(imports(result).at(-1)?.source).toMatchObject({
      from: [
        { origin: 'mirror', url: mirror },
        { origin: 'url', url: 'https://images.example.com/img-20240301.tar.xz' },
      ],
      checksum: { algo: 'sha256', hex: 'a'.repeat(64) },
    });
    expect(result.notes.filter((note) => note.message.includes('mirror_checksum'))).toEqual([]);
  });

  it('a packed mirror_url of a packed url holds the same bytes: read without mirror_checksum, no warning', () => {
    const mirror = 'https://mirror.internal/img-20240301.raw.xz';
    const packed = version('20240301', { url: 'https://images.example.com/img-20240301.raw.xz', mirror_url: mirror });
    const result = run(def({ versions: [packed] }), []);
    expect(imports(result).at(-1)?.source.from[0]).toEqual({ origin: 'mirror', url: mirror });
    expect(result.notes.filter((note) => note.message.includes('mirror_checksum'))).toEqual([]);
  });

  it('--mirror-base: no shortname, no derived mirror', () => {
    const d = def({ versions: ['20240301'] });
    expect(sourcesOf(d, 'https://mirror.example/m').source.from).toEqual([{ origin: 'url', url: URL }]);
  });
});
