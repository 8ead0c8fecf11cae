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

  it('--mirror-base with a packed url: the mirror holds the unpacked image, named by the definition format', () => {
    const packed = version('20240301', { url: 'https://images.example.com/img-20240301.raw.xz' });
    const d = def({ shortname: 'flatcar', format: 'raw', versions: [packed] });
    expect(sourcesOf(d, 'https://mirror.example/m').source.from[0]).toEqual({
      origin: 'mirror',
      url: 'https://mirror.example/m/flatcar/20240301-flatcar.raw',
    });
  });

  it('--mirror-base: no shortname, no derived mirror', () => {
    const d = def({ versions: ['20240301'] });
    expect(sourcesOf(d, 'https://mirror.example/m').source.from).toEqual([{ origin: 'url', url: URL }]);
  });
});
